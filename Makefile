# hookreg: a plain PGXS build.
#
# The version has one source: default_version in hookreg.control. It names the
# install script, is compiled into the C module (HOOKREG_VERSION) and must equal
# the versions in META.json, or the build stops.

EXTENSION    = hookreg
EXTVERSION  := $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" hookreg.control)

MODULE_big   = hookreg
OBJS         = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
# The install script of this version and the update script into it from each
# earlier release are assembled from parts (below). Released scripts are frozen
# in src/released/ exactly as they shipped: CREATE EXTENSION hookreg VERSION
# '0.1.0' keeps working, and so does every update path out of an old version.
UPDATE_DIRS  = $(sort $(wildcard src/update/hookreg--*--$(EXTVERSION)))
UPDATE_built = $(patsubst src/update/%,%.sql,$(UPDATE_DIRS))
DATA_built   = hookreg--$(EXTVERSION).sql $(UPDATE_built)
DATA         = $(sort $(wildcard src/released/hookreg--*.sql))

PG_CPPFLAGS  = -DHOOKREG_VERSION='"$(EXTVERSION)"' -I$(srcdir)/src
PG_CFLAGS    = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
SHLIB_LINK   = -ljansson

# pg_regress: every sql/NAME.sql against expected/NAME.out
REGRESS      = $(basename $(notdir $(sort $(wildcard sql/*.sql))))
REGRESS_OPTS = --load-extension=hookreg
# isolation: test/specs/NAME.spec against test/expected/NAME.out
ISOLATION    = $(basename $(notdir $(sort $(wildcard test/specs/*.spec))))
ISOLATION_OPTS = --inputdir=test --load-extension=hookreg

EXTRA_CLEAN  = results output_iso regression.diffs regression.out .install-parts .update-parts

# JIT bitcode is not wanted: it would add a clang dependency for no benefit.
override with_llvm := no
# Track header dependencies (.deps/), so editing a .h rebuilds what uses it.
override autodepend := yes

PG_CONFIG ?= $(shell command -v pg_config 2>/dev/null || echo /usr/lib/postgresql/15/bin/pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# The install script is assembled from src/install/*.sql in name order, so each
# concern keeps its own file.
INSTALL_PARTS = $(sort $(wildcard src/install/*.sql))
# .install-parts changes only when the list of parts does, so removing or
# renaming a part rebuilds the script too.
.install-parts: FORCE
	@echo '$(INSTALL_PARTS)' | cmp -s - $@ || echo '$(INSTALL_PARTS)' > $@
.PHONY: FORCE
FORCE:
hookreg--$(EXTVERSION).sql: $(INSTALL_PARTS) .install-parts hookreg.control
	@test -n "$(EXTVERSION)" || { echo "no default_version in hookreg.control" >&2; exit 1; }
	( echo "-- hookreg $(EXTVERSION): generated from src/install/*.sql; edit those files"; \
	  printf "%s\n" "\\echo Use \"CREATE EXTENSION hookreg\" to load this file. \\quit"; \
	  for f in $(INSTALL_PARTS); do echo; echo "-- ---- $$f"; cat $$f; done ) > $@

# Each update script into this version is assembled the same way, from
# src/update/hookreg--FROM--TO/*.sql in name order: one part per concern, so a
# change to the install script and its twin in the update path land together.
UPDATE_PARTS = $(sort $(wildcard $(addsuffix /*.sql,$(UPDATE_DIRS))))
.update-parts: FORCE
	@echo '$(UPDATE_PARTS)' | cmp -s - $@ || echo '$(UPDATE_PARTS)' > $@
hookreg--%--$(EXTVERSION).sql: $(UPDATE_PARTS) .update-parts hookreg.control
	( echo "-- hookreg $*--$(EXTVERSION): generated from src/update/hookreg--$*--$(EXTVERSION)/*.sql; edit those files"; \
	  printf "%s\n" "\\echo Use \"ALTER EXTENSION hookreg UPDATE\" to load this file. \\quit"; \
	  for f in $(sort $(wildcard src/update/hookreg--$*--$(EXTVERSION)/*.sql)); do echo; echo "-- ---- $$f"; cat $$f; done ) > $@

# The module embeds the version: rebuild it when the control file changes.
src/module.o: hookreg.control

.PHONY: check-version test demo demo-stop
check-version:
	@perl $(srcdir)/scripts/check-version.pl '$(EXTVERSION)'
all: check-version

test:
	./scripts/test.sh
demo:
	./scripts/demo.sh
demo-stop:
	./scripts/demo-stop.sh
