// Fingerprints on real git repositories: an issue keeps its fingerprint when lines are added or
// removed above it, when the file is reformatted, and when its function moves within the file;
// it gets a new one when the flagged code changes. Each case commits a version and compares
// the fingerprints cq records for the same issue.
#include <gtest/gtest.h>

#include <map>

#include "tests/e2e/history_support.hpp"

namespace {

using namespace cq::test;

// Two rules with two kinds of anchors: a whole-function finding (cyclomatic, on the name) and
// a statement finding (nesting, on the deep `if`).
const std::string k_rules =
    "--rules complexity/cyclomatic,complexity/nesting --set complexity/cyclomatic.threshold=2 "
    "--set complexity/nesting.threshold=1";

const std::string k_original = R"py(import json


def handle(event, context):
    for record in event["Records"]:
        if record["size"] > 10:
            return json.dumps(record)
    return None


def helper(value):
    return value * 2
)py";

// The fingerprints of the scan of the committed version, by rule and function.
std::map<std::string, std::string> fingerprints(const TempRepo& repo, const std::string& source) {
    repo.write("svc/handler.py", source);
    repo.commit("version");
    auto r = cq_run("scan -q " + k_rules + " --format json", repo.path());
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out;
    std::map<std::string, std::string> out;
    const nlohmann::json scan = json_of(r);
    for (const auto& i : scan["issues"]) {
        const std::string key = i["rule"].get<std::string>() + " in " + i["function"].get<std::string>();
        EXPECT_EQ(out.count(key), 0u) << key;
        out[key] = i["fingerprint"].get<std::string>();
    }
    return out;
}

}  // namespace

TEST(HistoryFingerprint, StableAcrossEditsNewWhenTheFlaggedCodeChanges) {
    TempRepo repo;
    const auto original = fingerprints(repo, k_original);
    ASSERT_EQ(original.size(), 2u) << "expected a cyclomatic and a nesting finding in handle";
    ASSERT_TRUE(original.count("complexity/cyclomatic in handle"));
    ASSERT_TRUE(original.count("complexity/nesting in handle"));

    // Lines added above (and some removed: the blank lines after the import).
    const std::string added_above = R"py(import json
import logging

LOG = logging.getLogger(__name__)
RETRIES = 3
def handle(event, context):
    for record in event["Records"]:
        if record["size"] > 10:
            return json.dumps(record)
    return None


def helper(value):
    return value * 2
)py";
    EXPECT_EQ(fingerprints(repo, added_above), original) << "lines added or removed above";

    // Reformatted: other indentation, spacing, line breaks in the signature, comments.
    const std::string reformatted = R"py(import json
def handle(
        event,
        context,
):
  # walk the batch
  for record in event[ "Records" ]:
      if record[ "size" ]>10:   # big ones
          return json.dumps( record )
  return None
def helper(value):
  return value*2
)py";
    EXPECT_EQ(fingerprints(repo, reformatted), original) << "reformatted";

    // The function moved below another one.
    const std::string moved = R"py(import json


def helper(value):
    return value * 2


def handle(event, context):
    for record in event["Records"]:
        if record["size"] > 10:
            return json.dumps(record)
    return None
)py";
    EXPECT_EQ(fingerprints(repo, moved), original) << "function moved within the file";

    // The flagged code changed: the deep `if` tests something else.
    const std::string changed = R"py(import json


def handle(event, context):
    for record in event["Records"]:
        if record["kind"] == "big":
            return json.dumps(record)
    return None


def helper(value):
    return value * 2
)py";
    const auto after_change = fingerprints(repo, changed);
    ASSERT_EQ(after_change.size(), 2u);
    EXPECT_NE(after_change.at("complexity/nesting in handle"), original.at("complexity/nesting in handle"))
        << "the flagged statement changed";
    EXPECT_EQ(after_change.at("complexity/cyclomatic in handle"), original.at("complexity/cyclomatic in handle"))
        << "the function is the flagged code of a complexity finding, and it is still the same function";

    // Renaming the function changes what a whole-function finding flags.
    std::string renamed = k_original;
    renamed.replace(renamed.find("def handle"), 10, "def process");
    const auto after_rename = fingerprints(repo, renamed);
    EXPECT_NE(after_rename.at("complexity/cyclomatic in process"), original.at("complexity/cyclomatic in handle"));
}
