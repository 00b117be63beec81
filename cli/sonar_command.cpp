// `cq sonar properties`: the analysis parameters sonar-scanner needs to import cq's report, and a
// project key per branch for SonarQube Community (no branch analysis) when asked for.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "analyzer/engine/engine.hpp"
#include "cli/commands.hpp"
#include "sonar-bridge/properties.hpp"

namespace cq::cli {

namespace {

// The branch CI is building, else git's current branch; empty when neither says.
std::string detect_branch() {
    for (const char* var : {"CQ_BRANCH", "GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
                            "CI_COMMIT_REF_NAME", "BRANCH_NAME", "BUILD_SOURCEBRANCHNAME"}) {
        const char* value = std::getenv(var);
        if (value != nullptr && *value != '\0') {
            return value;
        }
    }
    std::string out;
    if (FILE* pipe = popen("git rev-parse --abbrev-ref HEAD 2>/dev/null", "r")) {
        char buf[512];
        while (std::fgets(buf, sizeof buf, pipe) != nullptr) {
            out += buf;
        }
        pclose(pipe);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
        out.pop_back();
    }
    return out == "HEAD" ? std::string() : out;  // detached HEAD names no branch
}

}  // namespace

void add_sonar_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("sonar", "SonarQube helpers");
    cmd->require_subcommand(1);
    struct Args {
        SonarProperties props;
        bool per_branch = false;
    };
    auto args = std::make_shared<Args>();
    auto* props = cmd->add_subcommand(
        "properties", "Print the sonar-scanner parameters that import cq's report (append them to "
                      "sonar-project.properties, or pass each as -D)");
    props->add_option("--report", args->props.report_path,
                      "the report written by `cq export sonar` (default cq-sonar.json)");
    props->add_option("--project-key", args->props.project_key, "print sonar.projectKey (and sonar.projectName)");
    props->add_option("--branch", args->props.branch,
                      "with --per-branch: the branch (default: from CI variables, else git)");
    props->add_flag("--per-branch", args->per_branch,
                    "one SonarQube project per branch: key <project-key>-<branch>");
    props->callback([args, &exit_code]() {
        SonarProperties p = args->props;
        if (args->per_branch) {
            if (p.project_key.empty()) {
                throw UsageError("--per-branch needs --project-key");
            }
            if (p.branch.empty()) {
                p.branch = detect_branch();
            }
            if (p.branch.empty()) {
                throw UsageError("--per-branch: no branch given and none detected (detached HEAD?); "
                                 "pass --branch NAME");
            }
        } else {
            p.branch.clear();
        }
        std::cout << sonar_properties_text(p);
        exit_code = k_exit_ok;
    });
}

}  // namespace cq::cli
