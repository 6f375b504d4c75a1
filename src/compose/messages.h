/* compose: supporter messages: packed on message pages, or in the gaps of
 * article pages; a message's fit in its format's box, measured as it will
 * print. */
#ifndef RT_COMPOSE_MESSAGES_H
#define RT_COMPOSE_MESSAGES_H

#include "text.h"

/* Packs the messages not `taken` (may be NULL) on message pages. */
void cmp_messages(composer *c, rt_doc *const *msg_docs, const bool *taken);
/* Fills the recorded gaps of article pages: small messages where they fit
 * (marked in `taken`, may be NULL: none), the call for messages elsewhere. */
void cmp_fill_gaps(composer *c, rt_doc *const *msg_docs, bool *taken);
/* How many message pages the edition's messages need. */
int cmp_message_pages(composer *c);

#endif
