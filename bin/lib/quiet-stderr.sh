# Sourced by bin/w2lab: quiet_stderr COMMAND... runs COMMAND with its stderr passed through as it comes (an in-place
# progress line included), except the JDK's own first line "WARNING: Using incubator modules: jdk.incubator.vector",
# which the Vector API's module makes every JVM print and no option turns off. Returns COMMAND's exit status. The
# filter ignores Ctrl-C so that what the command prints while it stops still shows.
quiet_stderr() {
  { "$@" 2>&1 1>&3 3>&- | (
      trap '' INT
      if IFS= read -r first; then
        [[ "$first" == "WARNING: Using incubator modules: "* ]] || printf '%s\n' "$first"
        exec cat
      fi
    ) >&2; return "${PIPESTATUS[0]}"; } 3>&1
}
