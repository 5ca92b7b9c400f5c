package site

// Lighthouse, the browser's own audit of a page, run against the built
// site in Debian's Chromium, as a benchmark (never by make test: its
// scores depend on the machine's speed):
//
//	go test ./site -run '^$' -bench Lighthouse -benchtime 1x
//
// (LIGHTHOUSE_REPORTS=DIR keeps the whole reports; LIGHTHOUSE_THROTTLING=
// devtools slows the browser down for real rather than simulating it.)
// For the home page and a lesson opened by its link, with Lighthouse's
// mobile preset (a slow phone on a slow network, simulated) and its
// desktop preset, it reports the performance and accessibility scores
// (0-100), the cumulative layout shift, the largest contentful paint
// and the total blocking time (milliseconds), averaged over the runs;
// the log names what held each score back.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// lighthouseBin is the Lighthouse CLI from the site's npm packages
// (package.json's devDependencies, installed by `make site`).
const lighthouseBin = "node_modules/.bin/lighthouse"

// lighthouseReport is the part of Lighthouse's JSON report read here.
type lighthouseReport struct {
	Categories map[string]struct {
		Score     *float64 `json:"score"`
		AuditRefs []struct {
			ID     string  `json:"id"`
			Weight float64 `json:"weight"`
		} `json:"auditRefs"`
	} `json:"categories"`
	Audits map[string]struct {
		Title        string          `json:"title"`
		Score        *float64        `json:"score"`
		NumericValue float64         `json:"numericValue"`
		DisplayValue string          `json:"displayValue"`
		Details      json.RawMessage `json:"details"`
	} `json:"audits"`
	RuntimeError *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"runtimeError"`
}

// runLighthouse audits url with Lighthouse in a Chromium of its own
// (headless, a fresh profile), mobile or with the desktop preset, for the
// comma-separated categories.
// A run that ends in an error Lighthouse itself calls passing ("Please
// run Lighthouse again": NO_NAVSTART, a trace it failed to record, about
// one run in ten here) is run once more.
func runLighthouse(tb testing.TB, url string, desktop bool, categories string) lighthouseReport {
	tb.Helper()
	r, transient := lighthouseOnce(tb, url, desktop, categories, true)
	if transient != "" {
		tb.Logf("lighthouse %s: %s; running it again", url, transient)
		r, _ = lighthouseOnce(tb, url, desktop, categories, false)
	}
	return r
}

// lighthouseOnce runs Lighthouse once; with mayRetry, an error Lighthouse
// calls passing is returned as its message rather than failing tb.
func lighthouseOnce(tb testing.TB, url string, desktop bool, categories string, mayRetry bool) (lighthouseReport, string) {
	tb.Helper()
	const again = "Please run Lighthouse again"
	if _, err := os.Stat(lighthouseBin); err != nil {
		tb.Fatalf("Lighthouse is not installed: run make build first (%v)", err)
	}
	out := filepath.Join(tb.TempDir(), "report.json")
	args := []string{url,
		"--output=json", "--output-path=" + out, "--quiet",
		"--only-categories=" + categories,
		"--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
		"--max-wait-for-load=60000",
	}
	if desktop {
		args = append(args, "--preset=desktop")
	}
	// LIGHTHOUSE_THROTTLING=devtools throttles the browser for real
	// instead of simulating a slow network and CPU from a fast run.
	if m := os.Getenv("LIGHTHOUSE_THROTTLING"); m != "" {
		args = append(args, "--throttling-method="+m)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, lighthouseBin, args...)
	cmd.Env = append(os.Environ(), "CHROME_PATH="+chromiumPath)
	if msg, err := cmd.CombinedOutput(); err != nil {
		if mayRetry && strings.Contains(string(msg), again) {
			return lighthouseReport{}, strings.TrimSpace(string(msg))
		}
		tb.Fatalf("lighthouse %s: %v\n%s", url, err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	// LIGHTHOUSE_REPORTS=DIR keeps each whole report there, to read in
	// Lighthouse's viewer.
	if dir := os.Getenv("LIGHTHOUSE_REPORTS"); dir != "" {
		name := strings.NewReplacer("/", "-", " ", "-").Replace(tb.Name()) + ".json"
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	var r lighthouseReport
	if err := json.Unmarshal(data, &r); err != nil {
		tb.Fatal(err)
	}
	if r.RuntimeError != nil && r.RuntimeError.Code != "" && r.RuntimeError.Code != "NO_ERROR" {
		if mayRetry && strings.Contains(r.RuntimeError.Message, again) {
			return lighthouseReport{}, r.RuntimeError.Code + ": " + r.RuntimeError.Message
		}
		tb.Fatalf("lighthouse %s: %s: %s", url, r.RuntimeError.Code, r.RuntimeError.Message)
	}
	return r, ""
}

func (r lighthouseReport) score(category string) float64 {
	if c, ok := r.Categories[category]; ok && c.Score != nil {
		return *c.Score * 100
	}
	return -1
}

// failing lists the audits of category that cost it points, each with
// Lighthouse's title and value.
func (r lighthouseReport) failing(category string) []string {
	var out []string
	for _, ref := range r.Categories[category].AuditRefs {
		a, ok := r.Audits[ref.ID]
		if !ok || a.Score == nil || *a.Score >= 0.9 || (ref.Weight == 0 && category == "accessibility") {
			continue
		}
		out = append(out, fmt.Sprintf("%s (%s, score %.2f) %s", ref.ID, a.Title, *a.Score, a.DisplayValue))
	}
	sort.Strings(out)
	return out
}

// items describes the rows of an audit's details in a few words each:
// the element or URL, and the numbers Lighthouse gives for it.
func (r lighthouseReport) items(id string) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			if rows, ok := x["items"]; ok {
				walk(rows)
				return
			}
			var parts []string
			if n, ok := x["node"].(map[string]any); ok {
				parts = append(parts, fmt.Sprint(n["selector"]))
			}
			for _, k := range []string{"url", "groupLabel", "phase"} {
				if u, ok := x[k].(string); ok {
					if i := strings.Index(u, "://"); i >= 0 {
						if j := strings.Index(u[i+3:], "/"); j >= 0 {
							u = u[i+3+j:]
						}
					}
					parts = append(parts, u)
				}
			}
			for _, k := range []string{"startTime", "total", "scripting", "scriptParseCompile", "duration", "totalBytes", "wastedMs", "score", "timing", "percent"} {
				switch n := x[k].(type) {
				case float64:
					parts = append(parts, fmt.Sprintf("%s=%.4g", k, n))
				case string:
					parts = append(parts, k+"="+n)
				}
			}
			if len(parts) > 0 {
				out = append(out, strings.Join(parts, " "))
			}
		}
	}
	var d any
	if json.Unmarshal(r.Audits[id].Details, &d) == nil {
		walk(d)
	}
	return out
}

// lighthouseSites are the pages audited: the home page and a lesson
// opened by its link.
var lighthouseSites = []struct{ name, query string }{
	{"home", "?proto=pop3&lang=en"},
	{"lesson", "?lang=en&lesson=pop3-first-session"},
}

func BenchmarkLighthouse(b *testing.B) {
	srv := httptest.NewServer(precompressed(builtSite(b)))
	defer srv.Close()
	for _, form := range []string{"mobile", "desktop"} {
		for _, site := range lighthouseSites {
			b.Run(form+"/"+site.name, func(b *testing.B) {
				var perf, a11y, cls, lcp, tbt float64
				for i := 0; i < b.N; i++ {
					r := runLighthouse(b, srv.URL+"/"+site.query, form == "desktop", "performance,accessibility")
					perf += r.score("performance")
					a11y += r.score("accessibility")
					cls += r.Audits["cumulative-layout-shift"].NumericValue
					lcp += r.Audits["largest-contentful-paint"].NumericValue
					tbt += r.Audits["total-blocking-time"].NumericValue
					if i == 0 {
						for _, c := range []string{"accessibility", "performance"} {
							if f := r.failing(c); len(f) > 0 {
								b.Logf("%s: %s", c, strings.Join(f, "; "))
							}
						}
						for _, id := range []string{"largest-contentful-paint-element", "layout-shifts", "bootup-time", "mainthread-work-breakdown", "total-byte-weight", "render-blocking-resources", "long-tasks"} {
							if items := r.items(id); len(items) > 0 {
								b.Logf("%s: %s", id, strings.Join(items, "; "))
							}
						}
					}
				}
				n := float64(b.N)
				b.ReportMetric(perf/n, "performance")
				b.ReportMetric(a11y/n, "accessibility")
				b.ReportMetric(cls/n, "CLS")
				b.ReportMetric(lcp/n, "LCP-ms")
				b.ReportMetric(tbt/n, "TBT-ms")
			})
		}
	}
}

// Lighthouse's accessibility audits (axe-core's rules and its own) find
// nothing on a lesson on a phone's screen and on the home page on a
// laptop's (TestAxeFindsNoViolations runs axe on more of the page's
// states). Unlike its performance score, this does not depend on the
// machine's speed.
func TestLighthouseFindsNoAccessibilityFailures(t *testing.T) {
	srv := httptest.NewServer(precompressed(builtSite(t)))
	defer srv.Close()
	for _, c := range []struct {
		desktop bool
		site    int
	}{{false, 1}, {true, 0}} {
		site := lighthouseSites[c.site]
		r := runLighthouse(t, srv.URL+"/"+site.query, c.desktop, "accessibility")
		if f := r.failing("accessibility"); len(f) > 0 || r.score("accessibility") != 100 {
			t.Errorf("%s (desktop %v): accessibility %.0f: %s", site.name, c.desktop, r.score("accessibility"), strings.Join(f, "; "))
		}
	}
}
