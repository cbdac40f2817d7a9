# scripts/long-functions.awk: C functions longer than 80 lines that do not
# say why.  awk -f scripts/long-functions.awk src/*.c prints one line
# "FILE:LINE: NAME is N lines, with no Long: reason above it" per such
# function and nothing else; the codebase suite fails on any line.
#
# A function is counted from its opening brace to its closing brace, both at
# the start of a line (PostgreSQL's layout, as pgindent writes it).  Its
# reason is a comment between the end of the previous function and the
# function's opening brace (its header comment) holding "Long:" (any case),
# e.g. " * Long: the phases of one match share their positions ...".  A
# definition that opens its body on the line of its name is reported too,
# since it could not be counted.
BEGIN { limit = 80 }
FNR == 1 { inbody = 0; marked = 0; name = "" }
!inbody && /[Ll][Oo][Nn][Gg]: / { marked = 1 }
!inbody && /^[A-Za-z_].*[A-Za-z0-9_]\(.*\)[ \t]*\{[ \t]*$/ && !/=/ {
    printf "%s:%d: a function body opened on the line of its name (not counted)\n", FILENAME, FNR
}
!inbody && /=[ \t]*$/ { name = "" }
!inbody && /^[A-Za-z_][A-Za-z0-9_ \t*]*\(/ {
    s = $0; sub(/\(.*/, "", s); sub(/.*[ \t*]/, "", s); name = s; next
}
!inbody && /^\{/ && name != "" { inbody = 1; start = FNR; next }
inbody && /^\}/ {
    n = FNR - start + 1
    if (n > limit && !marked)
        printf "%s:%d: %s is %d lines, with no Long: reason above it\n", FILENAME, start, name, n
    inbody = 0; marked = 0; name = ""; next
}
!inbody && /^\}/ { marked = 0; name = "" }
