// The clone detector (rules/support/clones.hpp) and duplication/block on hand-built token
// streams, so that grouping, maximality, Type-2 matching, import exclusion and the linear cost
// are checked independently of the front ends.
#include <gtest/gtest.h>

#include <cctype>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/support/clones.hpp"

namespace {

using cq::FileModel;
using cq::Language;
using cq::Token;
using cq::TokenKind;

std::uint32_t text_hash(std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : s) {
        h = (h ^ c) * 16777619u;
    }
    return h;
}

bool is_keyword(std::string_view w) {
    static const std::vector<std::string_view> k{"def", "return", "if", "else", "for", "in",
                                                 "while", "import", "from", "function", "const",
                                                 "let", "int", "char", "void", "include"};
    for (std::string_view x : k) {
        if (x == w) {
            return true;
        }
    }
    return false;
}

// Builds a FileModel from text where tokens are separated by spaces and lines by '\n'.
// Words starting with a letter are identifiers (or keywords), words starting with a digit or a
// quote are literals, everything else is an operator. Normalized hashes abstract identifiers and
// literals, as the front ends do.
std::unique_ptr<FileModel> model(const std::string& path, Language lang, const std::string& text) {
    auto f = std::make_unique<FileModel>();
    f->path = path;
    f->language = lang;
    f->source = text;
    std::uint32_t line = 1;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '\n') {
            ++line;
            ++i;
            continue;
        }
        if (text[i] == ' ') {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && text[j] != ' ' && text[j] != '\n') {
            ++j;
        }
        const std::string_view w = std::string_view(text).substr(i, j - i);
        Token t;
        t.line = line;
        t.start_byte = static_cast<std::uint32_t>(i);
        t.end_byte = static_cast<std::uint32_t>(j);
        t.exact_hash = text_hash(w);
        if (std::isalpha(static_cast<unsigned char>(w[0])) != 0 || w[0] == '_' || w[0] == '#') {
            t.kind = is_keyword(w) || w[0] == '#' ? TokenKind::keyword : TokenKind::identifier;
        } else if (std::isdigit(static_cast<unsigned char>(w[0])) != 0 || w[0] == '"') {
            t.kind = TokenKind::literal;
        } else {
            t.kind = TokenKind::op;
        }
        t.norm_hash = t.kind == TokenKind::identifier ? 1u
                      : t.kind == TokenKind::literal  ? 2u
                                                      : t.exact_hash;
        f->tokens.push_back(t);
        i = j;
    }
    f->lines = line;
    return f;
}

const std::vector<std::string>& operators() {
    static const std::vector<std::string> ops{"+", "-", "*", "/", "%", "<", ">", "==", "!=", "&&",
                                              "||", "!", "~", "^", "&", "|", "<<", ">>", "?", ":"};
    return ops;
}

// A block of `lines` lines whose identifiers are prefixed by `name` and whose literals start at
// `lit` (so two calls with other names are Type-2 clones of each other). Line l has l % 3 extra
// arguments and an operator that depends on l, so the block does not repeat itself.
std::string block(const std::string& name, int lines, int lit = 1) {
    std::ostringstream s;
    for (int l = 0; l < lines; ++l) {
        s << name << "_a" << l << " = " << name << "_b ( " << (lit + l);
        for (int a = 0; a < l % 3; ++a) {
            s << " , " << name << "_c" << a;
        }
        s << " ) " << operators()[static_cast<std::size_t>(l * 7 % 20)] << " " << (lit * 2 + l)
          << "\n";
    }
    return s.str();
}

std::uint32_t block_tokens(int lines) {
    std::uint32_t n = 0;
    for (int l = 0; l < lines; ++l) {
        n += 8 + 2 * static_cast<std::uint32_t>(l % 3);
    }
    return n;
}

// Code that matches nothing else: operators in a pseudo-random order (normalized tokens differ).
std::string noise(std::uint32_t seed, int lines) {
    const std::vector<std::string>& ops = operators();
    std::mt19937 rng(seed);
    std::ostringstream s;
    for (int l = 0; l < lines; ++l) {
        for (int t = 0; t < 12; ++t) {
            s << ops[rng() % ops.size()] << ' ';
        }
        s << '\n';
    }
    return s.str();
}

// A line holding one token that no other fence shares, so that a clone cannot grow into the
// code around it by chance.
std::string fence(int id) { return "#fence" + std::to_string(id) + "\n"; }

std::vector<const FileModel*> ptrs(const std::vector<std::unique_ptr<FileModel>>& files) {
    std::vector<const FileModel*> out;
    for (const auto& f : files) {
        out.push_back(f.get());
    }
    return out;
}

TEST(Clones, ABlockInFourPlacesIsOneGroupOfFour) {
    std::vector<std::unique_ptr<FileModel>> files;
    for (int i = 0; i < 4; ++i) {
        files.push_back(model("f" + std::to_string(i) + ".py", Language::python,
                              noise(100 + i, 4) + fence(i) + block("x", 15) + fence(10 + i) +
                                  noise(200 + i, 5)));
    }
    const auto groups = cq::clones::find_clones(ptrs(files), {});
    ASSERT_EQ(groups.size(), 1u);
    ASSERT_EQ(groups[0].occurrences.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(groups[0].occurrences[i].file, i);
        EXPECT_EQ(groups[0].occurrences[i].start_line, 6u);
        EXPECT_EQ(groups[0].occurrences[i].end_line, 20u);
    }
    EXPECT_TRUE(groups[0].exact);
}

TEST(Clones, MatchesAreMaximal) {
    // 40 lines, about 400 common tokens: one occurrence per file covering all of them, not a
    // series of 100-token windows.
    std::vector<std::unique_ptr<FileModel>> files;
    files.push_back(model("a.py", Language::python,
                          noise(1, 2) + fence(1) + block("x", 40) + fence(2) + noise(2, 3)));
    files.push_back(model("b.py", Language::python,
                          noise(3, 6) + fence(3) + block("x", 40) + fence(4) + noise(4, 2)));
    const auto groups = cq::clones::find_clones(ptrs(files), {});
    ASSERT_EQ(groups.size(), 1u);
    ASSERT_EQ(groups[0].occurrences.size(), 2u);
    EXPECT_EQ(groups[0].occurrences[0].tokens, block_tokens(40));
    EXPECT_EQ(groups[0].occurrences[1].tokens, block_tokens(40));
    EXPECT_EQ(groups[0].occurrences[0].start_line, 4u);
    EXPECT_EQ(groups[0].occurrences[0].end_line, 43u);
    EXPECT_EQ(groups[0].occurrences[1].start_line, 8u);
    EXPECT_EQ(groups[0].occurrences[1].end_line, 47u);
}

TEST(Clones, RenamedIdentifiersAndLiteralsAreType2Clones) {
    std::vector<std::unique_ptr<FileModel>> files;
    files.push_back(model("a.js", Language::javascript, block("order", 12, 1)));
    files.push_back(model("b.js", Language::javascript, block("refund", 12, 7)));
    const auto groups = cq::clones::find_clones(ptrs(files), {});
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].occurrences.size(), 2u);
    EXPECT_FALSE(groups[0].exact);
    // the anchor hashes normalized tokens: equal for Type-2 copies of the same extent
    EXPECT_EQ(groups[0].occurrences[0].anchor, groups[0].occurrences[1].anchor);
}

TEST(Clones, ABlockRepeatedRightAfterItselfIsTwoOccurrencesOnWholeLines) {
    // The line before the first copy ends like the first copy's last line (`>> 5`), so the
    // token match runs two tokens past each copy's start: the copies overlap in the token
    // stream, stay two occurrences, and are reported on whole lines.
    std::vector<std::unique_ptr<FileModel>> files;
    files.push_back(model("a.py", Language::python,
                          "zz = zz >> 5\n" + block("a", 12) + block("b", 12) + fence(1)));
    const auto groups = cq::clones::find_clones(ptrs(files), {});
    ASSERT_EQ(groups.size(), 1u);
    ASSERT_EQ(groups[0].occurrences.size(), 2u);
    EXPECT_EQ(groups[0].occurrences[0].start_line, 2u);
    EXPECT_EQ(groups[0].occurrences[0].end_line, 13u);
    EXPECT_EQ(groups[0].occurrences[1].start_line, 14u);
    EXPECT_EQ(groups[0].occurrences[1].end_line, 25u);
    EXPECT_EQ(groups[0].occurrences[0].tokens, block_tokens(12));
}

TEST(Clones, CodeThatRepeatsItselfIsTwoOverlappingOccurrences) {
    // 30 statements of one shape (a registration table): the block of lines 1-29 repeats at
    // lines 2-30, which is how jscpd and SonarQube's CPD report it.
    std::string table;
    for (int l = 0; l < 30; ++l) {
        table += "app . add ( \"/r" + std::to_string(l) + "\" , handler_" + std::to_string(l) +
                 " , 1 )\n";
    }
    std::vector<std::unique_ptr<FileModel>> files;
    files.push_back(model("routes.py", Language::python, fence(1) + table + fence(2)));
    const auto groups = cq::clones::find_clones(ptrs(files), {});
    ASSERT_EQ(groups.size(), 1u);
    ASSERT_EQ(groups[0].occurrences.size(), 2u);
    EXPECT_EQ(groups[0].occurrences[0].start_line, 2u);
    EXPECT_EQ(groups[0].occurrences[0].end_line, 30u);
    EXPECT_EQ(groups[0].occurrences[1].start_line, 3u);
    EXPECT_EQ(groups[0].occurrences[1].end_line, 31u);
}

TEST(Clones, CloneWithinOneFile) {
    std::vector<std::unique_ptr<FileModel>> files;
    files.push_back(model("a.c", Language::c, block("p", 12) + noise(9, 4) + block("q", 12)));
    const auto groups = cq::clones::find_clones(ptrs(files), {});
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].occurrences.size(), 2u);
}

TEST(Clones, ImportRunsDoNotCount) {
    std::ostringstream imports;
    for (int i = 0; i < 30; ++i) {
        imports << "from pkg" << i << " import name" << i << " , other" << i << " , third" << i
                << "\n";
    }
    std::vector<std::unique_ptr<FileModel>> files;
    files.push_back(model("a.py", Language::python, imports.str() + noise(1, 10)));
    files.push_back(model("b.py", Language::python, imports.str() + noise(2, 10)));
    EXPECT_TRUE(cq::clones::find_clones(ptrs(files), {}).empty());

    std::ostringstream includes;
    for (int i = 0; i < 40; ++i) {
        includes << "#include < header" << i << " . h >\n";
    }
    files.clear();
    files.push_back(model("a.c", Language::c, includes.str() + noise(3, 10)));
    files.push_back(model("b.c", Language::c, includes.str() + noise(4, 10)));
    EXPECT_TRUE(cq::clones::find_clones(ptrs(files), {}).empty());
}

TEST(Clones, RequireRunsAreExcludedWhateverTheirLength) {
    // one `var` statement of 30 require declarators: 210 tokens on 30 lines
    std::string run = "var";
    for (int i = 0; i < 30; ++i) {
        run += " m" + std::to_string(i) + " = require ( \"./m" + std::to_string(i) + "\" )" +
               (i + 1 < 30 ? " ,\n" : " ;\n");
    }
    std::vector<std::unique_ptr<FileModel>> files;
    files.push_back(model("a.js", Language::javascript, run));
    files.push_back(model("b.js", Language::javascript, run));
    cq::clones::Options small;
    small.min_tokens = 50;
    EXPECT_TRUE(cq::clones::find_clones(ptrs(files), small).empty());

    // With one declarator that is not a require, the statement is code: only the require
    // calls themselves are left out, and the 90 tokens around them are a clone.
    const std::string mixed = run.substr(0, run.size() - 2) + ",\n total = m0 + 1 ;\n";
    files.clear();
    files.push_back(model("a.js", Language::javascript, mixed));
    files.push_back(model("b.js", Language::javascript, mixed));
    EXPECT_EQ(cq::clones::find_clones(ptrs(files), small).size(), 1u);
}

TEST(Clones, ImportsAreFoundFromTokensNotFromTheModel) {
    // A front end's import ranges are not consulted: a tokens-only scan (which has none) must
    // find what a full scan finds.
    const std::string code = block("x", 12);
    std::vector<std::unique_ptr<FileModel>> files;
    for (const char* name : {"a.ts", "b.ts"}) {
        auto f = model(name, Language::typescript, code);
        cq::Import imp;
        imp.module = "m";
        imp.range.start_byte = 0;
        imp.range.end_byte = static_cast<std::uint32_t>(code.size());
        f->imports.push_back(imp);
        files.push_back(std::move(f));
    }
    EXPECT_EQ(cq::clones::find_clones(ptrs(files), {}).size(), 1u);
}

TEST(Clones, ShortSpansAndOtherLanguagesAreNotClones) {
    // 156 tokens, but all on 3 lines: below min_lines
    std::string dense;
    for (int l = 0; l < 3; ++l) {
        for (int t = 0; t < 4; ++t) {
            dense += "x = y ( 1 , z [ 2 ] ) + 1 ";
        }
        dense += "\n";
    }
    std::vector<std::unique_ptr<FileModel>> files;
    files.push_back(model("a.py", Language::python, dense));
    files.push_back(model("b.py", Language::python, dense));
    EXPECT_TRUE(cq::clones::find_clones(ptrs(files), {}).empty());
    cq::clones::Options loose;
    loose.min_lines = 3;
    EXPECT_EQ(cq::clones::find_clones(ptrs(files), loose).size(), 1u);

    files.clear();
    files.push_back(model("a.py", Language::python, block("x", 12)));
    files.push_back(model("b.js", Language::javascript, block("x", 12)));
    EXPECT_TRUE(cq::clones::find_clones(ptrs(files), {}).empty());
}

TEST(Clones, TwoDifferentBlocksMakeTwoGroups) {
    // block A in files 0,1 and block B (other structure) in files 1,2
    auto other = [](const std::string& n, int lines) {
        std::string s;
        for (int l = 0; l < lines; ++l) {
            s += "if ( " + n + " < " + std::to_string(l) + " ) { return " + n + " * 2 ; }\n";
        }
        return s;
    };
    std::vector<std::unique_ptr<FileModel>> files;
    files.push_back(model("0.py", Language::python, block("x", 12) + noise(1, 4)));
    files.push_back(model("1.py", Language::python,
                          block("y", 12) + noise(2, 4) + other("k", 12) + noise(3, 4)));
    files.push_back(model("2.py", Language::python, noise(4, 2) + other("m", 12)));
    const auto groups = cq::clones::find_clones(ptrs(files), {});
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].occurrences.size(), 2u);
    EXPECT_EQ(groups[1].occurrences.size(), 2u);
    EXPECT_EQ(groups[0].occurrences[0].file, 0u);
    EXPECT_EQ(groups[1].occurrences[1].file, 2u);
}

TEST(Clones, CostIsLinearOnALargeInput) {
    // 400 files of 1000 tokens of distinct code, a planted 15-line block in every tenth file,
    // plus one file of a single token repeated: the work counters grow with the tokens, not
    // with the number of matching pairs.
    std::vector<std::unique_ptr<FileModel>> files;
    for (int i = 0; i < 400; ++i) {
        std::string text = noise(1000 + i, 40);
        if (i % 10 == 0) {
            text += block("v" + std::to_string(i), 15, i);
        }
        text += noise(5000 + i, 40);
        files.push_back(model("gen/f" + std::to_string(i) + ".py", Language::python, text));
    }
    std::string same;
    for (int l = 0; l < 2000; ++l) {
        same += "+ + + + + + + + + + + +\n";
    }
    files.push_back(model("gen/same.py", Language::python, same));
    files.push_back(model("gen/same2.py", Language::python, same));

    cq::clones::Stats stats;
    const auto groups = cq::clones::find_clones(ptrs(files), {}, &stats);
    EXPECT_GT(stats.tokens, 400000u);
    EXPECT_LE(stats.windows, stats.tokens);
    EXPECT_LE(stats.probes, 3 * stats.windows);
    EXPECT_LE(stats.unions, stats.windows);
    EXPECT_LE(stats.regions, stats.windows / 100 + 100);
    // the planted block (in 40 files) is one group; the repeated file pair another
    bool planted = false;
    bool repeated = false;
    for (const auto& g : groups) {
        planted = planted || g.occurrences.size() == 40;
        repeated = repeated || (g.occurrences.size() == 2 &&
                                files[g.occurrences[0].file]->path == "gen/same.py");
    }
    EXPECT_TRUE(planted);
    EXPECT_TRUE(repeated);
}

// ---- the rule ----------------------------------------------------------------------------------

std::vector<cq::Finding> run_rule(const std::vector<std::unique_ptr<FileModel>>& files,
                                  std::map<std::string, std::string> options = {}) {
    const cq::Rule* rule = cq::Registry::instance().find("duplication/block");
    EXPECT_NE(rule, nullptr);
    EXPECT_TRUE(rule->is_project_rule());
    cq::ProjectModel project;
    project.files = ptrs(files);
    std::vector<cq::Finding> out;
    static_cast<const cq::ProjectRule*>(rule)->check(
        project, cq::RuleContext(std::move(options), cq::Severity::major), out);
    return out;
}

TEST(DuplicationRule, OneFindingPerOccurrenceWithTheOthersAsSecondaries) {
    std::vector<std::unique_ptr<FileModel>> files;
    for (int i = 0; i < 4; ++i) {
        files.push_back(model("src/m" + std::to_string(i) + ".py", Language::python,
                              noise(10 + i, 1 + i) + fence(i) + block("x", 12) + fence(10 + i) +
                                  noise(20 + i, 3)));
    }
    const auto findings = run_rule(files);
    ASSERT_EQ(findings.size(), 4u);
    for (const auto& f : findings) {
        EXPECT_EQ(f.rule, "duplication/block");
        EXPECT_EQ(f.secondary.size(), 3u);
        EXPECT_EQ(f.range.end_line - f.range.start_line + 1, 12u);
        EXPECT_EQ(f.range.start_column, 1u);
        EXPECT_NE(f.message.find("found in 4 places"), std::string::npos) << f.message;
        EXPECT_EQ(f.anchor, findings[0].anchor);  // same normalized code wherever it sits
    }
    EXPECT_EQ(findings[1].range.start_line, 4u);
}

TEST(DuplicationRule, OptionsChangeTheThresholds) {
    std::vector<std::unique_ptr<FileModel>> files;
    files.push_back(model("a.py", Language::python, block("x", 5) + noise(1, 3)));
    files.push_back(model("b.py", Language::python, block("y", 5) + noise(2, 3)));
    EXPECT_TRUE(run_rule(files).empty());
    EXPECT_EQ(run_rule(files, {{"min_tokens", "40"}, {"min_lines", "5"}}).size(), 2u);
    EXPECT_THROW(run_rule(files, {{"min_tokens", "0"}}), std::invalid_argument);
    EXPECT_THROW(run_rule(files, {{"min_lines", "many"}}), std::invalid_argument);
}

}  // namespace
