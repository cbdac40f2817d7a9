#!/usr/bin/env bash
# packaging.sh: META.json is valid PGXN meta-spec 1.0.0 and tells the truth:
# its versions are the control file's, its PostgreSQL prerequisite
# is the floor the C code enforces (src/compat.h), and a repository resource
# carries what the spec requires (url and type, or web). The build runs the
# same checks (scripts/check-version.pl); this suite also proves that the
# check refuses a META.json that lies.
#
# Prints one "ok - ..." / "not ok - ..." line per check.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init packaging

W=$HR_SUITE_DIR
meta() {  # meta PERL-EXPR: evaluate an expression over $m (the decoded META.json)
    perl -MJSON::PP -e 'local $/; open my $f, "<", "META.json" or die; my $m = decode_json(<$f>); print eval($ARGV[0]) // "", "\n"' "$1"
}

cd "$HR_ROOT"
version=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" hookreg.control)
floor=$(sed -n 's/^#if PG_VERSION_NUM < \([0-9]*\)0000$/\1/p' src/compat.h)

hr_check "the control file names a version" "t" "$([ -n "$version" ] && echo t)"
hr_check "src/compat.h states the PostgreSQL floor" "t" "$([ -n "$floor" ] && echo t)"
hr_check "META.json: meta-spec 1.0.0" "1.0.0" "$(meta '$m->{"meta-spec"}{version}')"
hr_check "META.json: version equals the control file's" "$version" "$(meta '$m->{version}')"
hr_check "META.json: provides.hookreg.version equals the control file's" "$version" "$(meta '$m->{provides}{hookreg}{version}')"
hr_check "META.json: provides.hookreg.file is the control file" "hookreg.control" "$(meta '$m->{provides}{hookreg}{file}')"
hr_check "META.json: the runtime PostgreSQL prerequisite is the floor of src/compat.h" \
    "$floor.0.0" "$(meta '$m->{prereqs}{runtime}{requires}{PostgreSQL}')"
hr_check "META.json: pgtap is a test prerequisite" "t" \
    "$(meta 'exists $m->{prereqs}{test}{requires}{pgtap} ? "t" : "f"')"
hr_check "META.json: a repository resource has url and type, or web (PGXN meta-spec 1.0.0)" "t" \
    "$(meta 'my $r = $m->{resources}{repository}; !defined $r || ($r->{url} && $r->{type}) || $r->{web} ? "t" : "f"')"
perl scripts/check-version.pl "$version" >"$W/check.out" 2>&1
hr_check "scripts/check-version.pl accepts the shipped META.json" "0" "$?"

# The build's check refuses a META.json that lies: run it on altered copies.
lie() {  # lie DESCRIPTION PERL-EDIT: the check must refuse META.json edited so
    local d=$W/lie; rm -rf "$d"; mkdir -p "$d/src"
    cp src/compat.h "$d/src/"
    perl -MJSON::PP -e 'local $/; open my $f, "<", $ARGV[1] or die; my $m = decode_json(<$f>); eval $ARGV[0]; die $@ if $@; print JSON::PP->new->canonical->encode($m)' \
        "$2" "$HR_ROOT/META.json" >"$d/META.json"
    if (cd "$d" && perl "$HR_ROOT/scripts/check-version.pl" "$version") >"$d/out" 2>&1; then
        hr_not_ok "check-version.pl refuses $1"
    else
        hr_ok "check-version.pl refuses $1 ($(head -n 1 "$d/out"))"
    fi
}
lie "another distribution version" '$m->{version} = "9.9.9"'
lie "another provided version" '$m->{provides}{hookreg}{version} = "9.9.9"'
lie "a PostgreSQL prerequisite below the floor" '$m->{prereqs}{runtime}{requires}{PostgreSQL} = "13.0.0"'
lie "a missing PostgreSQL prerequisite" 'delete $m->{prereqs}{runtime}{requires}{PostgreSQL}'
lie "a repository with a type but no url" '$m->{resources}{repository} = {type => "git"}'
lie "another meta-spec" '$m->{"meta-spec"}{version} = "2.0.0"'
