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

// compact_models finishes each file as soon as its file rules ran (fingerprints, suppressions)
// and frees what the text/JSON reports do not read: the results must not change.
TEST(Engine, CompactModelsGiveTheSameFindingsFingerprintsAndMetrics) {
    const fs::path root = fs::temp_directory_path() / ("cq-engine-compact-" + std::to_string(::getpid()));
    fs::create_directories(root);
    std::ofstream(root / "a.py") << "def f(a, b, c, d, e, f, g, h):  # cq: ignore[complexity/parameters]\n"
                                    "    return 1\n"
                                    "def g(a, b, c, d, e, f, g, h):\n"
                                    "    if a:\n        if b:\n            if c:\n                if d:\n"
                                    "                    if e:\n                        return 1\n"
                                    "    return 0  # cq: ignore[complexity/cyclomatic]\n";
    std::ofstream(root / "b.ts") << "function k(x: number) { for (const y of [x]) { if (y) { while (x) { x--; } } } }\n";
    cq::ScanOptions o;
    o.root = root.string();
    o.rules.only = {"complexity", "cq/unused-suppression"};
    o.jobs = 2;
    const auto full = cq::run_scan(o);
    o.compact_models = true;
    const auto compact = cq::run_scan(o);
    ASSERT_FALSE(full.findings.empty());
    ASSERT_EQ(full.findings.size(), compact.findings.size());
    for (std::size_t i = 0; i < full.findings.size(); ++i) {
        EXPECT_EQ(full.findings[i].rule, compact.findings[i].rule);
        EXPECT_EQ(full.findings[i].range.start_line, compact.findings[i].range.start_line);
        EXPECT_EQ(full.findings[i].fingerprint, compact.findings[i].fingerprint);
        EXPECT_EQ(full.findings[i].secondary.size(), compact.findings[i].secondary.size());
    }
    ASSERT_EQ(full.suppressed.size(), 1u);
    ASSERT_EQ(compact.suppressed.size(), 1u);
    EXPECT_EQ(full.suppressed[0].fingerprint, compact.suppressed[0].fingerprint);
    ASSERT_EQ(full.files.size(), compact.files.size());
    for (std::size_t i = 0; i < full.files.size(); ++i) {
        const auto& a = *full.files[i];
        const auto& b = *compact.files[i];
        EXPECT_EQ(a.path, b.path);
        EXPECT_EQ(a.ncloc, b.ncloc);
        ASSERT_EQ(a.functions.size(), b.functions.size());
        for (std::size_t k = 0; k < a.functions.size(); ++k) {
            EXPECT_EQ(a.functions[k].cognitive, b.functions[k].cognitive);
            EXPECT_EQ(a.functions[k].cyclomatic, b.functions[k].cyclomatic);
            EXPECT_EQ(a.functions[k].parameter_count(), b.functions[k].parameter_count());
            EXPECT_TRUE(b.functions[k].params.empty()) << "the compact model frees parameters";
        }
        EXPECT_FALSE(a.source.empty());
        EXPECT_TRUE(b.source.empty()) << "the compact model keeps no source";
        EXPECT_TRUE(b.tokens.empty());
    }
    // With a project rule selected, models stay whole: that rule reads them all at the end.
    o.rules.only = {"complexity", "duplication"};
    const auto with_project_rule = cq::run_scan(o);
    EXPECT_FALSE(with_project_rule.files[0]->source.empty());
    fs::remove_all(root);
}
