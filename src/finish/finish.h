/* finish: the last step between rendered PDF bytes and the file the user
 * gets. Output goes to a temporary file beside the destination and is
 * renamed into place only when complete: a failed build never leaves a
 * partial PDF.
 *
 * Ownership: rt_output_commit() and rt_output_abort() both free the handle.
 */
#ifndef RT_FINISH_H
#define RT_FINISH_H

#include "../base/base.h"

typedef struct rt_output rt_output;

/* Opens a temporary file beside `path`; NULL on I/O error (reported). */
rt_output *rt_output_begin(const char *path, rt_diag *d);
FILE *rt_output_file(rt_output *o);
/* Flushes, syncs and renames into place. False on I/O error (reported; the
 * temporary file is removed). */
bool rt_output_commit(rt_output *o, rt_diag *d);
/* Removes the temporary file. */
void rt_output_abort(rt_output *o);

#endif
