# test/update/old-release.sh: build a released hookreg from its release commit
# into a private install tree of its own (source it after scripts/lib.sh).
# Used by test/suites/update.sh and bench/update-locks.sh.
#
#   hr_old_release DIR   builds 0.1.0 (HR_OLD_COMMIT) under DIR; sets
#                        HR_OLD_BINDIR; returns non-zero with the reason on
#                        stderr when the commit is not in this checkout's
#                        history (a shallow clone) or the build fails.

HR_OLD_VERSION=0.1.0
HR_OLD_COMMIT=44e071374fa3255af91342f8ce4629ff2aa1efe0   # the 0.1.0 release

hr_old_release() {
    local dir=$1
    if ! git -C "$HR_ROOT" cat-file -e "$HR_OLD_COMMIT^{commit}" 2>/dev/null; then
        echo "the $HR_OLD_VERSION release commit $HR_OLD_COMMIT is not in this checkout's history (a full clone is needed)" >&2
        return 1
    fi
    rm -rf "$dir/src-$HR_OLD_VERSION"
    mkdir -p "$dir/src-$HR_OLD_VERSION"
    git -C "$HR_ROOT" archive "$HR_OLD_COMMIT" | tar -x -C "$dir/src-$HR_OLD_VERSION"
    if ! make -C "$dir/src-$HR_OLD_VERSION" -s PG_CONFIG="$PG_CONFIG" >"$dir/build-old.log" 2>&1; then
        tail -n 20 "$dir/build-old.log" >&2
        echo "$HR_OLD_VERSION does not build from $HR_OLD_COMMIT" >&2
        return 1
    fi
    (hr_private_install "$dir/install-$HR_OLD_VERSION" "$dir/src-$HR_OLD_VERSION") 2>"$dir/install-old.log" \
        || { cat "$dir/install-old.log" >&2; return 1; }
    HR_OLD_BINDIR=$dir/install-$HR_OLD_VERSION$PG_BINDIR
}
