// Cross-file hot paths through the real front ends: fixtures hold one file each, so the
// project-wide part of the latency rules (imports, call chains across files, sleep helpers
// imported from a utility module) is checked here on small multi-file projects.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/engine/engine.hpp"
#include "rules/registry.hpp"

namespace cq {
namespace {

struct Project {
    std::vector<std::unique_ptr<FileModel>> models;
    ProjectModel project;

    void add(const std::string& path, const std::string& source) {
        models.push_back(build_model(path, source));
        project.files.push_back(models.back().get());
    }

    std::vector<Finding> run(const std::string& rule_id) const { return run(rule_id, {}); }

    std::vector<Finding> run(const std::string& rule_id,
                             std::map<std::string, std::string> options) const {
        const Rule* rule = Registry::instance().find(rule_id);
        EXPECT_NE(rule, nullptr) << rule_id;
        std::vector<Finding> out;
        if (rule == nullptr || !rule->is_project_rule()) {
            return out;
        }
        const RuleContext ctx(std::move(options), rule->meta().severity);
        static_cast<const ProjectRule*>(rule)->check(project, ctx, out);
        return out;
    }
};

bool has_secondary_in(const Finding& f, const std::string& path) {
    for (const SecondaryLocation& s : f.secondary) {
        if (s.path == path) {
            return true;
        }
    }
    return false;
}

TEST(LatencyCrossFile, SleepHelperImportedFromAnotherModule) {
    Project p;
    p.add("src/util.js",
          "const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));\n"
          "module.exports = { sleep };\n");
    p.add("src/handler.js",
          "const { sleep } = require('./util');\n"
          "exports.handler = async (event) => {\n"
          "  await sleep(500);\n"
          "  return event;\n"
          "};\n");
    const auto findings = p.run("latency/sleep-on-hot-path");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].path, "src/handler.js");
    EXPECT_EQ(findings[0].range.start_line, 3u);
    EXPECT_NE(findings[0].message.find("500 ms"), std::string::npos) << findings[0].message;
}

TEST(LatencyCrossFile, ClientCreatedInAModuleAHandlerCalls) {
    Project p;
    p.add("svc/store.py",
          "import boto3\n"
          "\n"
          "def save(item):\n"
          "    s3 = boto3.client('s3')\n"
          "    s3.put_object(Bucket='b', Key=item['id'], Body=b'')\n"
          "\n"
          "def unused(item):\n"
          "    return boto3.client('s3')\n");
    p.add("svc/app.py",
          "from .store import save\n"
          "\n"
          "def lambda_handler(event, context):\n"
          "    save(event)\n");
    const auto findings = p.run("latency/client-per-call");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].path, "svc/store.py");
    EXPECT_EQ(findings[0].range.start_line, 4u);
    EXPECT_TRUE(has_secondary_in(findings[0], "svc/app.py")) << "the chain reaches the handler";
    EXPECT_NE(findings[0].message.find("reached from handler 'lambda_handler'"), std::string::npos)
        << findings[0].message;
}

TEST(LatencyCrossFile, QueryPerItemThroughAModuleImport) {
    Project p;
    p.add("app/db.py",
          "def insert(conn, row):\n"
          "    conn.execute('INSERT INTO t (a) VALUES (?)', (row,))\n");
    p.add("app/main.py",
          "import db\n"
          "\n"
          "def load(conn, rows):\n"
          "    for row in rows:\n"
          "        db.insert(conn, row)\n");
    const auto findings = p.run("latency/query-per-item");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].path, "app/db.py");
    EXPECT_EQ(findings[0].range.start_line, 2u);
    EXPECT_TRUE(has_secondary_in(findings[0], "app/main.py"));
}

TEST(LatencyCrossFile, CFunctionsResolveAcrossFiles) {
    Project p;
    p.add("src/store.c",
          "typedef struct sqlite3 sqlite3;\n"
          "int sqlite3_open(const char *path, sqlite3 **db);\n"
          "int store_one(const char *path) {\n"
          "    sqlite3 *db = 0;\n"
          "    return sqlite3_open(path, &db);\n"
          "}\n");
    p.add("src/worker.c",
          "int store_one(const char *path);\n"
          "void worker(const char *path, int n) {\n"
          "    for (int i = 0; i < n; ++i) {\n"
          "        store_one(path);\n"
          "    }\n"
          "}\n"
          "void per_database(const char **paths, int n) {\n"
          "    for (int i = 0; i < n; ++i) {\n"
          "        store_one(paths[i]);  /* one connection per database: not per call */\n"
          "    }\n"
          "}\n");
    const auto findings = p.run("latency/client-per-call");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].path, "src/store.c");
    EXPECT_TRUE(has_secondary_in(findings[0], "src/worker.c"));
}

TEST(LatencyCrossFile, TestFilesAreNotHotUnlessAsked) {
    Project p;
    p.add("pkg/helpers.py",
          "import time\n"
          "def settle():\n"
          "    time.sleep(2)\n");
    p.add("tests/test_flow.py",
          "from pkg.helpers import settle\n"
          "def test_flow():\n"
          "    for _ in range(3):\n"
          "        settle()\n");
    EXPECT_TRUE(p.run("latency/sleep-on-hot-path").empty());
    const auto with_tests = p.run("latency/sleep-on-hot-path", {{"include-tests", "true"}});
    ASSERT_EQ(with_tests.size(), 1u);
    EXPECT_EQ(with_tests[0].path, "pkg/helpers.py");
}

}  // namespace
}  // namespace cq
