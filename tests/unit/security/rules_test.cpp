// The security rules end to end through the front ends: severity goes up on a tainted flow and
// the path becomes secondary locations, also when the flow crosses files. Fixtures check where
// findings are; these tests check what they carry.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "analyzer/engine/engine.hpp"
#include "rules/registry.hpp"

namespace fs = std::filesystem;

namespace {

cq::SingleFileResult analyze(const std::string& path, const std::string& rule,
                             const std::string& source) {
    cq::RuleSelection sel;
    sel.only = {rule};
    return cq::analyze_source(path, source, sel);
}

TEST(SecurityRules, TaintRaisesSeverityAndCarriesThePath) {
    const auto r = analyze("app/views.py", "security/command-injection",
                           "import os\n"
                           "from flask import request\n"
                           "\n"
                           "def ping():\n"
                           "    host = request.args['host']\n"
                           "    cmd = 'ping -c 1 ' + host\n"
                           "    os.system(cmd)\n"
                           "\n"
                           "def local(host):\n"
                           "    os.system('ping -c 1 ' + host)\n");
    ASSERT_EQ(r.findings.size(), 2u);
    const cq::Finding& tainted = r.findings[0];
    EXPECT_EQ(tainted.range.start_line, 7u);
    EXPECT_EQ(tainted.severity, cq::Severity::critical);
    ASSERT_EQ(tainted.secondary.size(), 2u);
    EXPECT_EQ(tainted.secondary[0].range.start_line, 5u);
    EXPECT_NE(tainted.secondary[0].message.find("request.args"), std::string::npos);
    EXPECT_EQ(tainted.secondary[1].range.start_line, 6u);
    EXPECT_NE(tainted.message.find("untrusted input"), std::string::npos);

    const cq::Finding& plain = r.findings[1];
    EXPECT_EQ(plain.range.start_line, 10u);
    EXPECT_EQ(plain.severity, cq::Severity::major);
    EXPECT_TRUE(plain.secondary.empty());
}

TEST(SecurityRules, ConfiguredSeverityIsTheBaseOfTheRaise) {
    cq::RuleSelection sel;
    sel.only = {"security/sql-injection"};
    sel.severities["security/sql-injection"] = cq::Severity::minor;
    const auto r = cq::analyze_source("db.js",
                                      "function f(req, db) {\n"
                                      "  return db.query(`SELECT * FROM t WHERE id = ${req.params.id}`);\n"
                                      "}\n",
                                      sel);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].severity, cq::Severity::major);
}

TEST(SecurityRules, ConstantArgumentsProduceNoFindingAtAll) {
    for (const auto& [rule, source] : std::vector<std::pair<std::string, std::string>>{
             {"security/command-injection", "import os\nCMD = 'make'\nos.system(CMD + ' all')\n"},
             {"security/code-injection", "x = eval('1 + 2')\n"},
             {"security/sql-injection",
              "def f(cur):\n    q = 'SELECT 1 FROM t'\n    q += ' WHERE a = 1'\n    cur.execute(q)\n"},
             {"security/unsafe-deserialization", "import pickle\npickle.loads(b'N.')\n"}}) {
        EXPECT_TRUE(analyze("m.py", rule, source).findings.empty()) << rule << ": " << source;
    }
}

class TempProject {
public:
    TempProject() {
        m_root = fs::temp_directory_path() / ("cq-taint-" + std::to_string(::getpid()));
        fs::create_directories(m_root);
    }
    ~TempProject() {
        std::error_code ec;
        fs::remove_all(m_root, ec);
    }
    void write(const std::string& rel, const std::string& text) const {
        fs::create_directories((m_root / rel).parent_path());
        std::ofstream(m_root / rel, std::ios::binary) << text;
    }
    std::string root() const { return m_root.string(); }

private:
    fs::path m_root;
};

TEST(SecurityRules, TaintFollowsAHandlerIntoAHelperInAnotherFile) {
    TempProject p;
    p.write("svc/routes.py",
            "from flask import Flask\n"
            "from svc import jobs\n"
            "\n"
            "app = Flask(__name__)\n"
            "\n"
            "@app.route('/convert/<name>')\n"
            "def convert(name):\n"
            "    return jobs.run_convert(name, 2)\n");
    p.write("svc/jobs.py",
            "import subprocess\n"
            "\n"
            "def run_convert(target, level):\n"
            "    cmd = f'convert -quality {level} {target} out.png'\n"
            "    return subprocess.check_output(cmd, shell=True)\n"
            "\n"
            "def unrelated(path):\n"
            "    return subprocess.check_output('ls ' + path, shell=True)\n");
    cq::ScanOptions opts;
    opts.root = p.root();
    opts.jobs = 1;
    opts.rules.only = {"security/command-injection"};
    const cq::ScanResult scan = cq::run_scan(opts);
    ASSERT_EQ(scan.findings.size(), 2u);
    const cq::Finding& f = scan.findings[0];
    EXPECT_EQ(f.path, "svc/jobs.py");
    EXPECT_EQ(f.range.start_line, 5u);
    EXPECT_EQ(f.severity, cq::Severity::critical);
    ASSERT_GE(f.secondary.size(), 3u);
    EXPECT_EQ(f.secondary.front().path, "svc/routes.py");  // the route's parameter
    EXPECT_EQ(f.secondary.front().range.start_line, 7u);
    bool call_site = false;
    for (const auto& s : f.secondary) {
        call_site = call_site || (s.path == "svc/routes.py" && s.range.start_line == 8u);
    }
    EXPECT_TRUE(call_site);
    EXPECT_EQ(f.secondary.back().path, "svc/jobs.py");

    EXPECT_EQ(scan.findings[1].range.start_line, 8u);
    EXPECT_EQ(scan.findings[1].severity, cq::Severity::major);  // not reached from a handler
}

TEST(SecurityRules, EveryRuleCarriesCweAndOwasp) {
    for (const char* id :
         {"security/command-injection", "security/code-injection", "security/sql-injection",
          "security/unsafe-deserialization", "security/unsafe-buffer-function",
          "security/format-string", "security/hardcoded-secret", "security/weak-hash",
          "security/insecure-random", "security/tls-verification-disabled", "security/dom-xss",
          "security/insecure-temp-file"}) {
        const cq::Rule* rule = cq::Registry::instance().find(id);
        ASSERT_NE(rule, nullptr) << id;
        EXPECT_FALSE(rule->meta().cwe.empty()) << id;
        ASSERT_EQ(rule->meta().owasp.size(), 1u) << id;
        EXPECT_NE(rule->meta().owasp[0].find(":2021"), std::string::npos) << id;
    }
}

}  // namespace
