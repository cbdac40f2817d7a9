/* fuzz_json.c: JSON helpers shared by the fuzz targets. */
#include "fuzz_json.h"

json_t *
fuzz_reversed(json_t *value)
{
	if (json_is_object(value))
	{
		size_t		n = json_object_size(value),
					i = 0;
		const char **keys = palloc(sizeof(char *) * (n + 1));
		json_t	   *copy = json_object();
		const char *key;
		json_t	   *member;

		json_object_foreach(value, key, member)
			keys[i++] = key;
		while (i-- > 0)
			json_object_set_new(copy, keys[i], fuzz_reversed(json_object_get(value, keys[i])));
		return copy;
	}
	if (json_is_array(value))
	{
		json_t	   *copy = json_array();
		json_t	   *item;
		size_t		i;

		json_array_foreach(value, i, item)
			json_array_append_new(copy, fuzz_reversed(item));
		return copy;
	}
	return json_deep_copy(value);
}
