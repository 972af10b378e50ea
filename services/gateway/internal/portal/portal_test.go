package portal

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func serve(t *testing.T, path string) *httptest.ResponseRecorder {
	t.Helper()
	gin.SetMode(gin.TestMode)
	e := gin.New()
	Mount(e)
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

// Every asset the page loads is served from the gateway itself, with the strict CSP.
func TestAssetsServedWithCSP(t *testing.T) {
	index := serve(t, "/").Body.String()
	refs := regexp.MustCompile(`(?:src|href)="(/portal/[^"]+)"`).FindAllStringSubmatch(index, -1)
	want := map[string]string{"/portal/common.js": "javascript", "/portal/unit.js": "javascript",
		"/portal/office.js": "javascript", "/portal/app.js": "javascript", "/portal/style.css": "text/css"}
	if len(refs) != len(want) {
		t.Fatalf("index.html loads %v, want %d assets", refs, len(want))
	}
	for _, m := range refs {
		ct, ok := want[m[1]]
		if !ok {
			t.Fatalf("index.html loads unexpected %s", m[1])
		}
		w := serve(t, m[1])
		if w.Code != 200 || !strings.Contains(w.Header().Get("Content-Type"), ct) || w.Body.Len() == 0 {
			t.Fatalf("%s: %d %s", m[1], w.Code, w.Header().Get("Content-Type"))
		}
		csp := w.Header().Get("Content-Security-Policy")
		for _, d := range []string{"default-src 'self'", "script-src 'self';", "style-src 'self';", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, d) {
				t.Fatalf("%s: CSP %q lacks %q", m[1], csp, d)
			}
		}
		if strings.Contains(csp, "unsafe-") {
			t.Fatalf("%s: CSP allows %q", m[1], csp)
		}
	}
}

// The page works under that CSP only if nothing inline needs it loosened, and it stays safe only if
// API text never becomes markup.
func TestNoInlineCodeNoMarkupFromData(t *testing.T) {
	static, _ := fs.Sub(files, "static")
	html, _ := fs.ReadFile(static, "index.html")
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]+</script>`),            // inline script
		regexp.MustCompile(`<script(?:(?:\s+(?:defer|type="[^"]*"))*)\s*>`), // script without src
		regexp.MustCompile(`<style`), regexp.MustCompile(`\sstyle=`), regexp.MustCompile(`\son[a-z]+=`),
		regexp.MustCompile(`(?:src|href)="(?:https?:)?//`), // external assets
	} {
		if loc := bad.FindIndex(html); loc != nil {
			t.Fatalf("index.html: %s", html[loc[0]:loc[1]])
		}
	}
	scripts, _ := fs.Glob(static, "*.js")
	if len(scripts) < 4 {
		t.Fatalf("scripts %v", scripts)
	}
	for _, name := range scripts {
		js, _ := fs.ReadFile(static, name)
		for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
			"new Function", "setAttribute(\"style\"", "http://", "https://"} {
			if strings.Contains(string(js), bad) {
				t.Fatalf("%s uses %s", name, bad)
			}
		}
	}
}

// The views call the APIs the brief names, and mask identity numbers.
func TestViewsCallTheirAPIs(t *testing.T) {
	for path, wants := range map[string][]string{
		"/portal/unit.js": {"/api/units/v1/units/", "/api/quota/v1/balances?unit=", "/incumbents", "maskID("},
		"/portal/office.js": {"/api/units/v1/reports/coverage", "/api/quota/v1/checks/ledger",
			"/api/quota/v1/balances", "\"city_admin\", \"auditor\""},
		"/portal/common.js": {"body.title", "textContent"},
	} {
		body := serve(t, path).Body.String()
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Fatalf("%s lacks %s", path, w)
			}
		}
	}
}
