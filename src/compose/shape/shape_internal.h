/* shape: private declarations shared by the files of this stage. */
#ifndef RT_SHAPE_INTERNAL_H
#define RT_SHAPE_INTERNAL_H

#include "shape.h"

#include <fontconfig/fontconfig.h>
#include <hb.h>
#include <hb-ot.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

struct rt_font {
    PangoFont *pango;
    hb_font_t *hb; /* owned by `pango` */
    double hb_scale;
    char *family;
    bool bold, italic;
    double size, ascent, cap_height, space;
    bool small_caps;    /* shape with c2sc + smcp */
    struct rt_font *sc; /* the small-caps variant, once made */
};

#endif
