-- Foundation: the module version and the two pure helpers.

-- One version source: the module's compiled-in version is the installed one.
SELECT hookreg_version() = extversion AS version_matches
  FROM pg_extension WHERE extname = 'hookreg';

-- hookreg_slugify: lowercase, runs of other characters become one '-',
-- trimmed at both ends, cut to 64 characters, trimmed again.
SELECT t AS title, hookreg_slugify(t) AS slug
  FROM (VALUES ('Hello World'),
               ('  Mass Spectrometry -- Proteomics!  '),
               ('CamelCase_and_snake'),
               ('Données Été 2024'),
               ('abc'),
               ('x-ray   crystallography'),
               ('---leading and trailing---'),
               ('Tab	and
newline')) AS v(t);

-- Cut to 64 characters, and no trailing '-' left by the cut.
SELECT length(hookreg_slugify(repeat('a', 100))) AS len_a,
       hookreg_slugify(repeat('a', 63) || ' b') AS cut_at_dash,
       length(hookreg_slugify(repeat('a', 63) || ' b')) AS cut_len;

-- NULL in, NULL out (STRICT).
SELECT hookreg_slugify(NULL) IS NULL AS null_is_null;

-- Refused: too short, starts with a digit, nothing left.
\set VERBOSITY default
SELECT hookreg_slugify('ab');
SELECT hookreg_slugify('2024 survey');
SELECT hookreg_slugify('!!!');
SELECT hookreg_slugify('');

-- opsrun_is_uuid_v4: version nibble 4 and RFC 4122 variant.
SELECT u, opsrun_is_uuid_v4(u::uuid) AS v4
  FROM (VALUES ('f47ac10b-58cc-4372-a567-0e02b2c3d479'),   -- v4
               ('f47ac10b-58cc-4372-c567-0e02b2c3d479'),   -- v4 nibble, wrong variant
               ('f47ac10b-58cc-1372-a567-0e02b2c3d479'),   -- version 1
               ('886313e1-3b8a-5372-9b90-0c9aee199e5d'),   -- version 5
               ('00000000-0000-0000-0000-000000000000'),   -- nil
               ('ffffffff-ffff-4fff-bfff-ffffffffffff')) AS v(u);
SELECT opsrun_is_uuid_v4(gen_random_uuid()) AS random_is_v4;
SELECT opsrun_is_uuid_v4(NULL) IS NULL AS null_is_null;
