#include "config/config.hpp"

namespace cq::config {

std::string default_config_text() {
    return R"yaml(# cq configuration (see the README, "Configuration"). Every key is optional; the values
# shown in comments are the defaults. Unknown keys are errors, so typos never pass silently.
version: 1

# Files to analyze and to skip, as globs relative to the scan root (`*` within a path segment,
# `**` across segments, a pattern without `/` matches a name anywhere). Added to --include and
# --exclude.
include: []
exclude: []
# max-file-size: 5MiB          # larger files are skipped with a note

# What files are. Generated and vendored files are not analyzed; test files are analyzed but
# are never hot paths (rules that take a `test-paths` option get these globs).
paths:
  tests: []                     # e.g. ["tests/**", "**/*_test.py"]
  generated: []                 # e.g. ["**/*_pb2.py", "gen/**"]
  vendored: []                  # e.g. ["vendor/**", "third_party/**"]

# Rules: turn rules or whole categories on and off, change severities, set options (the
# options of each rule are listed by `cq explain RULE`). Command-line flags win over this.
rules:
  # only: [complexity, latency]  # run only these rules or categories
  disable: []                    # e.g. [duplication/block]
  # complexity/cognitive:
  #   threshold: 15
  #   severity: major
  # complexity/function-length: {threshold: 60}
  # security: critical           # a category (or rule) with just a severity
  # latency/busy-poll: off       # or just off

# Hot paths (latency rules): what makes a function a message or request handler.
# hot-paths:
#   handler-names: [handler, lambda_handler]
#   handler-decorators: [route, get, post, task, subscriber]
#   handler-registrations: [subscribe, consume, basic_consume]
#   include-tests: false

# The new-code gate (`cq gate`); its flags win over these.
# gate:
#   fail-on-new: major           # a severity, or none
#   max-new-duplication: 3.0     # percent of new lines, or none
#   min-new-lines: 20            # the duplication condition is ignored under this
#   complexity: true             # fail on new or worsened functions over the thresholds

# SonarQube export (`cq export sonar`, `cq scan --format sonar`).
# sonar:
#   format: current              # or legacy (servers before 10.3)
#   extended-impacts: false      # INFO and BLOCKER impact severities
#   project-base-dir: ""         # sonar.projectBaseDir, when it is not the scan root
#   project-key: ""

# Directories of custom rules (one rule or a `rules:` list per .yaml file), relative to this
# file's directory. `cq test-rules` runs their examples.
custom-rules: [.cq/rules]
)yaml";
}

}  // namespace cq::config
