/* hrjson_init.h: the one jansson-free entry point of json.c. */
#ifndef HOOKREG_HRJSON_INIT_H
#define HOOKREG_HRJSON_INIT_H

extern void hr_json_init(void);

#endif
