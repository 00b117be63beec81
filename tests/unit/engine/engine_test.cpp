#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "analyzer/engine/engine.hpp"
#include "analyzer/engine/fingerprint.hpp"
#include "rules/registry.hpp"

namespace fs = std::filesystem;

namespace {

// A rule that throws on every file: the engine must report it per file and go on.
class ThrowingRule final : public cq::FileRule {
public:
    const cq::RuleMeta& meta() const override {
        static const cq::RuleMeta m = [] {
            cq::RuleMeta meta;
            meta.id = "test/throws";
            meta.title = "always throws (engine test only)";
            return meta;
        }();
        return m;
    }
    void check(const cq::FileModel&, const cq::RuleContext&, std::vector<cq::Finding>&) const override {
        throw std::runtime_error("boom");
    }
};
CQ_REGISTER_RULE(ThrowingRule);

}  // namespace

TEST(Engine, LanguageByExtension) {
    EXPECT_EQ(cq::language_for_path("a/b.py"), cq::Language::python);
    EXPECT_EQ(cq::language_for_path("x.mjs"), cq::Language::javascript);
    EXPECT_EQ(cq::language_for_path("x.cjs"), cq::Language::javascript);
    EXPECT_EQ(cq::language_for_path("x.jsx"), cq::Language::javascript);
    EXPECT_EQ(cq::language_for_path("x.tsx"), cq::Language::typescript);
    EXPECT_EQ(cq::language_for_path("x.mts"), cq::Language::typescript);
    EXPECT_EQ(cq::language_for_path("x.cts"), cq::Language::typescript);
    EXPECT_EQ(cq::language_for_path("x.c"), cq::Language::c);
    EXPECT_EQ(cq::language_for_path("x.HPP"), cq::Language::cpp);
    EXPECT_EQ(cq::language_for_path("x.rs"), std::nullopt);
}

TEST(Engine, ARuleThatThrowsIsAnInternalErrorAndTheScanGoesOn) {
    const fs::path root = fs::temp_directory_path() / ("cq-engine-" + std::to_string(::getpid()));
    fs::create_directories(root);
    std::ofstream(root / "a.py") << "def f(x):\n    return x\n";
    std::ofstream(root / "b.js") << "function g(y) { return y; }\n";
    cq::ScanOptions o;
    o.root = root.string();
    o.rules.only = {"test/throws"};
    auto r = cq::run_scan(o);
    EXPECT_EQ(r.files.size(), 2u);
    ASSERT_EQ(r.internal_errors.size(), 2u);
    EXPECT_EQ(r.internal_errors[0].rule, "test/throws");
    EXPECT_EQ(r.internal_errors[0].message, "boom");
    fs::remove_all(root);
}

TEST(Fingerprint, IgnoresWhitespaceAndPositionButNotCode) {
    EXPECT_EQ(cq::normalize_code("  a = b ( c )\n"), "a=b(c)");
    cq::FileModel f1;
    f1.path = "x.py";
    f1.source = "import time\n\ndef f():\n    time.sleep(3)\n";
    cq::FileModel f2 = f1;
    f2.source = "import time\n# a comment\n\n\ndef f():\n        time.sleep( 3 )\n";
    cq::FileModel f3 = f1;
    f3.source = "import time\n\ndef f():\n    time.sleep(4)\n";
    auto fp = [](const cq::FileModel& file, std::uint32_t line) {
        cq::Finding finding;
        finding.rule = "latency/sleep-on-hot-path";
        finding.path = file.path;
        finding.function = "f";
        finding.range.start_line = line;
        finding.range.end_line = line;
        std::vector<cq::Finding> v{finding};
        cq::ProjectModel p;
        p.files.push_back(&file);
        cq::assign_fingerprints(v, p);
        return v[0].fingerprint;
    };
    EXPECT_EQ(fp(f1, 4), fp(f2, 6));
    EXPECT_NE(fp(f1, 4), fp(f3, 4));
    EXPECT_EQ(fp(f1, 4).size(), 16u);
}
