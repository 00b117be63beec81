// SharedAnalyses (rules/rule.hpp): what several project rules build from one ProjectModel is
// built once per key, again when the project's list of files changes, and never carried into a
// copy of the project.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "rules/rule.hpp"

namespace {

using cq::FileModel;
using cq::ProjectModel;

struct Counted {
    int value = 0;
};

std::shared_ptr<const Counted> ask(const ProjectModel& project, const std::string& key, int& builds) {
    return project.shared.get<Counted>(project, key, [&] {
        ++builds;
        return std::make_shared<const Counted>(Counted{builds});
    });
}

// A project of one file, and a count of the builds asked of it.
class SharedAnalysesTest : public ::testing::Test {
protected:
    SharedAnalysesTest() { project.files.push_back(&a); }
    FileModel a;
    ProjectModel project;
    int builds = 0;
};

TEST_F(SharedAnalysesTest, BuildsOncePerKey) {
    const auto first = ask(project, "hot-paths", builds);
    const auto again = ask(project, "hot-paths", builds);
    EXPECT_EQ(builds, 1);
    EXPECT_EQ(first.get(), again.get());
    const auto other = ask(project, "skeleton", builds);
    EXPECT_EQ(builds, 2);
    EXPECT_NE(other.get(), first.get());
}

TEST_F(SharedAnalysesTest, ChangedFileListBuildsAgain) {
    FileModel b;
    const auto one = ask(project, "hot-paths", builds);
    project.files.push_back(&b);
    const auto two = ask(project, "hot-paths", builds);
    EXPECT_EQ(builds, 2);
    EXPECT_EQ(two->value, 2);
    project.files = {&b, &a};  // same files, another order: another project for the rules
    ask(project, "hot-paths", builds);
    EXPECT_EQ(builds, 3);
}

TEST_F(SharedAnalysesTest, ACopyOfTheProjectStartsEmpty) {
    ask(project, "hot-paths", builds);
    const ProjectModel copy = project;
    ask(copy, "hot-paths", builds);
    EXPECT_EQ(builds, 2);
    ProjectModel assigned;
    assigned = project;
    ask(assigned, "hot-paths", builds);
    EXPECT_EQ(builds, 3);
    ask(project, "hot-paths", builds);  // the original keeps its own
    EXPECT_EQ(builds, 3);
}

TEST_F(SharedAnalysesTest, ABuildMayAskForAnotherAnalysis) {
    const auto outer = project.shared.get<Counted>(project, "outer", [&] {
        const auto inner = ask(project, "inner", builds);
        return std::make_shared<const Counted>(Counted{inner->value + 10});
    });
    EXPECT_EQ(outer->value, 11);
    EXPECT_EQ(builds, 1);
}

}  // namespace
