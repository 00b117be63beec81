// The HTML report in a real browser (Debian's headless Chromium): the page loads without script
// errors, escaped text never runs, the filters work, the trend charts render, and a screenshot
// is taken. The test page is the report with two scripts added: one at the top that records
// errors, one at the bottom that drives the filters and writes its results into the DOM, which
// --dump-dom prints.
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "reports/report.hpp"
#include "tests/unit/reports/report_fixture.hpp"

namespace fs = std::filesystem;

namespace cq {
namespace {

constexpr const char* k_chromium = "/usr/bin/chromium";

const char* const k_prelude = R"(<script>
window.__cqErrors = [];
window.addEventListener('error', function (e) { window.__cqErrors.push(String(e.message)); });
(function () {
  var original = console.error;
  console.error = function () {
    window.__cqErrors.push(Array.prototype.join.call(arguments, ' '));
    original.apply(console, arguments);
  };
})();
</script>)";

const char* const k_driver = R"(<script>
(function () {
  var r = { errors: window.__cqErrors, pwned: typeof window.__pwned !== 'undefined' };
  var rows = Array.prototype.slice.call(document.querySelectorAll('#issue-table tbody tr'));
  function visible() { return rows.filter(function (x) { return x.offsetParent !== null; }).length; }
  function set(id, value, type) {
    var el = document.getElementById(id);
    el.value = value;
    el.dispatchEvent(new Event(type));
  }
  r.total = rows.length;
  r.initial = visible();
  set('f-severity', 'critical', 'change');
  r.critical = visible();
  r.countText = document.getElementById('f-count').textContent;
  set('f-severity', '', 'change');
  set('f-text', 'BOM', 'input');
  r.text = visible();
  set('f-text', '', 'input');
  document.querySelector('[data-filter-category="security"]').click();
  r.security = visible();
  r.charts = document.querySelectorAll('#trends svg').length;
  r.sourceRows = document.querySelectorAll('table.src tr.flagged').length;
  var pre = document.createElement('pre');
  pre.id = 'cq-test-results';
  pre.textContent = JSON.stringify(r);
  document.body.appendChild(pre);
})();
</script>)";

std::string run(const std::string& cmd) {
    std::string out;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr) {
        return out;
    }
    std::array<char, 65536> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) {
        out.append(buf.data(), n);
    }
    pclose(pipe);
    return out;
}

std::string unescape_html(std::string s) {
    const std::pair<const char*, const char*> entities[] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&amp;", "&"}};
    for (const auto& [from, to] : entities) {
        for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) {
            s.replace(at, std::string(from).size(), to);
        }
    }
    return s;
}

class HtmlInBrowser : public ::testing::Test {
protected:
    void SetUp() override {
        if (!fs::exists(k_chromium)) {
            GTEST_SKIP() << k_chromium << " is absent: install Debian's chromium package "
                         << "(scripts/setup.sh does) to run the browser tests";
        }
        m_dir = fs::temp_directory_path() / ("cq-html-" + std::to_string(::getpid()));
        fs::create_directories(m_dir);
    }
    void TearDown() override {
        if (!m_dir.empty()) {
            std::error_code ec;
            fs::remove_all(m_dir, ec);
        }
    }

    std::string chromium(const std::string& args) const {
        return "timeout 120 " + std::string(k_chromium) +
               " --headless --no-sandbox --disable-gpu --disable-background-networking "
               "--disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage "
               "--user-data-dir='" + (m_dir / "profile").string() + "' " + args;
    }

    fs::path m_dir;
};

TEST_F(HtmlInBrowser, LoadsWithoutErrorsAndFiltersWork) {
    std::ostringstream html;
    ReportContext ctx = test::sample_context();
    ctx.trends = test::sample_trends();
    write_html(html, test::sample_scan(), ctx);
    std::string page = html.str();
    page.insert(page.find("<head>") + 6, k_prelude);
    page.insert(page.rfind("</body>"), k_driver);
    const fs::path file = m_dir / "report.html";
    std::ofstream(file) << page;
    const std::string dom = run(chromium("--dump-dom 'file://" + file.string() + "' 2>'" + (m_dir / "stderr.txt").string() + "'"));
    const auto start = dom.find("<pre id=\"cq-test-results\">");
    ASSERT_NE(start, std::string::npos) << "the page's test script did not run; DOM:\n" << dom.substr(0, 2000);
    const auto body = start + std::string("<pre id=\"cq-test-results\">").size();
    const auto results = nlohmann::json::parse(unescape_html(dom.substr(body, dom.find("</pre>", body) - body)));
    EXPECT_TRUE(results["errors"].empty()) << results["errors"].dump();
    EXPECT_FALSE(results["pwned"].get<bool>()) << "text from the scan ran as script";
    EXPECT_EQ(results["total"], 15);
    EXPECT_EQ(results["initial"], 15);
    EXPECT_EQ(results["critical"], 2);
    EXPECT_EQ(results["countText"], "2 of 15 issues");
    EXPECT_EQ(results["text"], 1);
    EXPECT_EQ(results["security"], 1);
    EXPECT_EQ(results["charts"], 4);
    EXPECT_GT(results["sourceRows"].get<int>(), 5);
    std::ifstream err(m_dir / "stderr.txt");
    std::stringstream err_text;
    err_text << err.rdbuf();
    EXPECT_EQ(err_text.str().find("Uncaught"), std::string::npos) << err_text.str();
}

TEST_F(HtmlInBrowser, Screenshot) {
    std::ostringstream html;
    ReportContext ctx = test::sample_context();
    ctx.trends = test::sample_trends();
    write_html(html, test::sample_scan(), ctx);
    const fs::path file = m_dir / "report.html";
    std::ofstream(file) << html.str();
    // Kept next to the test binary so that a person can look at it after the run.
    const fs::path shot = fs::current_path() / "cq-report-screenshot.png";
    fs::remove(shot);
    run(chromium("--hide-scrollbars --window-size=1280,2200 --screenshot='" + shot.string() + "' 'file://" +
                 file.string() + "' >/dev/null 2>&1"));
    ASSERT_TRUE(fs::exists(shot)) << "no screenshot written";
    EXPECT_GT(fs::file_size(shot), 20000u) << "the screenshot looks empty";
    std::cout << "[ screenshot ] " << shot.string() << "\n";
}

}  // namespace
}  // namespace cq
