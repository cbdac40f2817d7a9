/*
 * feature_spec.c: validation and normalization of a hook's feature spec
 * (doc/reference.md, hookreg_register_hook), with jansson.
 *
 *   {"kind": "table", "cardinality": "one" | "many",
 *    "columns": [{"name": ..., "json_type": ..., "format": ..., "required": ...}]}
 *
 * kind, cardinality, columns, and each column's name and json_type are
 * required; format is optional (null counts as absent), required defaults to
 * false.  The normalized spec is canonical JSON with "required" always
 * present and "format" only when given, so two specs that mean the same
 * contract store as the same jsonb.
 */
#include "hrjson.h"

#include "mb/pg_wchar.h"

#include "errvalue.h"
#include "feature_spec.h"

/* Column names every feature table already has (doc/reference.md,
 * hookreg_features.<hook>). */
static const char *const hr_reserved_columns[] = {"id", "run_id", "subject", "created_at", NULL};

static const char *const hr_spec_members[] = {"kind", "cardinality", "columns", NULL};
static const char *const hr_column_members[] = {"name", "json_type", "format", "required", NULL};

/*
 * SQL types (doc/reference.md, hookreg_register_hook): json_type, then an
 * optional format that refines it.
 */
static const struct
{
	const char *json_type;
	const char *format;			/* NULL: the base type */
	const char *sql_type;
}			hr_type_map[] = {
	{"string", NULL, "pg_catalog.text"},
	{"string", "date-time", "pg_catalog.timestamptz"},
	{"string", "date", "pg_catalog.date"},
	{"string", "uuid", "pg_catalog.uuid"},
	{"number", NULL, "pg_catalog.float8"},
	{"integer", NULL, "pg_catalog.int8"},
	{"boolean", NULL, "pg_catalog.bool"},
	{"array", NULL, "pg_catalog.jsonb"},
	{"object", NULL, "pg_catalog.jsonb"},
};

#define HR_FORMAT_MAX 64
#define HR_SHOWN_MAX 80

bool
hr_name_is_valid(const char *s, size_t len, size_t max_len)
{
	if (len < 1 || len > max_len || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (size_t i = 1; i < len; i++)
	{
		char		c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

/* A string value for a message: at most 80 bytes, never a split character. */
static char *
hr_shown(const json_t *str)
{
	return hr_error_value(json_string_value(str), json_string_length(str));
}

/* A format: ^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$ (JSON Schema format names fit). */
static bool
hr_format_is_valid(const char *s, size_t len)
{
	if (len < 1 || len > HR_FORMAT_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
	{
		char		c = s[i];
		bool		alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || !(c == '_' || c == '.' || c == '+' || c == '-')))
			return false;
	}
	return true;
}

/* Member key of obj (at path) that must be one of the strings in choices. */
static const char *
hr_json_choice(const json_t *obj, const char *path, const char *key,
			   const char *const *choices, const char *choice_list)
{
	json_t	   *member = hr_json_member(obj, path, key, HR_JSON_T(JSON_STRING), true);
	const char *value = json_string_value(member);

	for (const char *const *c = choices; *c; c++)
		if (strlen(*c) == json_string_length(member) && strcmp(*c, value) == 0)
			return *c;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value at %s", hr_json_path_key(path, key)),
			 errdetail("Expected one of %s; got \"%s\".", choice_list, hr_shown(member))));
	return NULL;				/* not reached */
}

static const char *
hr_sql_type(const char *json_type, const char *format)
{
	const char *base = NULL;

	for (size_t i = 0; i < lengthof(hr_type_map); i++)
	{
		if (strcmp(hr_type_map[i].json_type, json_type) != 0)
			continue;
		if (hr_type_map[i].format == NULL)
			base = hr_type_map[i].sql_type;
		else if (format != NULL && strcmp(hr_type_map[i].format, format) == 0)
			return hr_type_map[i].sql_type;
	}
	/* An unknown format falls back to the base type (the spec keeps it). */
	Assert(base != NULL);
	return base;
}

/* Validate columns[index] into col and append its normalized form to out. */
static void
hr_parse_column(const json_t *column, const char *path, HrFeatureColumn *col,
				json_t *out)
{
	static const char *const json_types[] = {"string", "number", "integer", "boolean", "array", "object", NULL};
	json_t	   *name;
	json_t	   *format;
	json_t	   *required;
	const char *json_type;
	const char *format_value = NULL;
	json_t	   *norm;

	hr_json_require_object(column, path, hr_column_members);

	name = hr_json_member(column, path, "name", HR_JSON_T(JSON_STRING), true);
	if (!hr_name_is_valid(json_string_value(name), json_string_length(name), HR_COLUMN_NAME_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid column name at %s", hr_json_path_key(path, "name")),
				 errdetail("Column names must match ^[a-z][a-z0-9_]{0,62}$; got \"%s\".", hr_shown(name)),
				 errhint("Use lowercase letters, digits and underscores, starting with a letter, at most 63 in all.")));
	for (const char *const *r = hr_reserved_columns; *r; r++)
		if (strcmp(*r, json_string_value(name)) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_RESERVED_NAME),
					 errmsg("column name \"%s\" at %s is reserved", *r, hr_json_path_key(path, "name")),
					 errdetail("Every feature table already has the columns id, run_id, subject and created_at."),
					 errhint("Choose another name for the column.")));

	json_type = hr_json_choice(column, path, "json_type", json_types,
							   "string, number, integer, boolean, array, object");

	format = hr_json_member(column, path, "format", HR_JSON_T(JSON_STRING), false);
	if (format != NULL)
	{
		if (!hr_format_is_valid(json_string_value(format), json_string_length(format)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid format at %s", hr_json_path_key(path, "format")),
					 errdetail("A format must match ^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$; got \"%s\".", hr_shown(format)),
					 errhint("Use a JSON Schema format name such as \"date-time\", \"date\" or \"uuid\", or leave format out.")));
		format_value = json_string_value(format);
	}

	required = hr_json_member(column, path, "required", HR_JSON_BOOLEAN, false);

	col->name = pstrdup(json_string_value(name));
	col->sql_type = hr_sql_type(json_type, format_value);
	col->required = (required != NULL && json_is_true(required));

	norm = json_object();
	json_object_set_new(norm, "name", json_string(col->name));
	json_object_set_new(norm, "json_type", json_string(json_type));
	if (format_value != NULL)
		json_object_set_new(norm, "format", json_string(format_value));
	json_object_set_new(norm, "required", json_boolean(col->required));
	json_array_append_new(out, norm);
}

void
hr_feature_spec_parse(const char *json, size_t len, const char *spec_path,
					  HrFeatureSpec *out)
{
	hr_feature_spec_check(hr_json_parse(json, len, spec_path ? spec_path : "feature_spec",
										HR_JSON_MAX_BYTES, HR_JSON_MAX_DEPTH),
						  spec_path, out);
}

void
hr_feature_spec_check(const json_t *spec, const char *spec_path, HrFeatureSpec *out)
{
	static const char *const kinds[] = {"table", NULL};
	static const char *const cardinalities[] = {"one", "many", NULL};
	const char *path = spec_path ? spec_path : "$";
	char	   *columns_path = hr_json_path_key(path, "columns");
	json_t	   *columns;
	json_t	   *norm;
	json_t	   *norm_columns;
	const char *kind;
	const char *cardinality;
	size_t		ncolumns;

	hr_json_require_object(spec, path, hr_spec_members);

	kind = hr_json_choice(spec, path, "kind", kinds, "\"table\"");
	cardinality = hr_json_choice(spec, path, "cardinality", cardinalities, "\"one\", \"many\"");
	columns = hr_json_member(spec, path, "columns", HR_JSON_T(JSON_ARRAY), true);

	ncolumns = json_array_size(columns);
	if (ncolumns > HR_FEATURE_MAX_COLUMNS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many columns at %s", columns_path),
				 errdetail("The spec has %zu columns; a feature spec may have at most %d.",
						   ncolumns, HR_FEATURE_MAX_COLUMNS)));

	out->cardinality_one = (strcmp(cardinality, "one") == 0);
	out->ncolumns = (int) ncolumns;
	out->columns = palloc0(sizeof(HrFeatureColumn) * (ncolumns + 1));

	norm_columns = json_array();
	for (size_t i = 0; i < ncolumns; i++)
	{
		char	   *col_path = hr_json_path_index(columns_path, i);

		hr_parse_column(json_array_get(columns, i), col_path, &out->columns[i], norm_columns);
		for (size_t j = 0; j < i; j++)
			if (strcmp(out->columns[j].name, out->columns[i].name) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("duplicate column name \"%s\" at %s", out->columns[i].name,
								hr_json_path_key(col_path, "name")),
						 errdetail("The name is already used at %s.",
								   hr_json_path_key(hr_json_path_index(columns_path, j), "name")),
						 errhint("Column names must be unique within a feature spec.")));
	}

	norm = json_object();
	json_object_set_new(norm, "kind", json_string(kind));
	json_object_set_new(norm, "cardinality", json_string(cardinality));
	json_object_set_new(norm, "columns", norm_columns);
	out->normalized = hr_json_canonical(norm, NULL);
}
