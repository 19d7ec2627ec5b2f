/* Prints rules/'s class table, one "NAME<TAB>DOC" line per class in enum
 * order, for check_classes.py. */
#include <stdio.h>

#include "classes.h"

int main(void)
{
        for (int c = 0; c < CLASS_COUNT; c++) {
                const struct crash_class_info *i = crash_class_info((enum crash_class)c);
                if ((int)i->id != c || !i->name || !i->steps || !i->doc) {
                        fprintf(stderr, "class table row %d is out of order or incomplete\n", c);
                        return 1;
                }
                printf("%s\t%s\n", i->name, i->doc);
        }
        return 0;
}
