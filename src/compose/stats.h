/* compose: statistics of the set text (space ratios, hyphens, widows),
 * measured from the engine's own line data. */
#ifndef RT_COMPOSE_STATS_H
#define RT_COMPOSE_STATS_H

#include "text.h"

void cmp_stats_para(rt_text_stats *s, const tpara *tp);
/* The widest space ratio of a paragraph's justified lines (1 if none). */
double cmp_widest_space(const tpara *tp);

#endif
