package e2e

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// badPage breaks every rule checkPage enforces, each once, and marks the
// culprit with an id the test looks for.
const badPage = `<!doctype html>
<html>
<head><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>One</h1>
<h1>Two</h1>
<input id="nameless" type="text">
<img id="altless" src="/missing.png">
<a id="silent" href="/elsewhere"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""></a>
<p id="faint" style="color:#888">Grey text at 16 px: 3.5:1 on white, too faint.</p>
<p id="large" style="color:#888;font-size:24px">Grey text at 24 px passes as large text.</p>
<div style="background:rgba(0,0,0,.75)">
<p id="layered" style="color:#444">Dark on a translucent dark layer.</p>
</div>
<div id="wide" style="width:600px">Six hundred pixels wide.</div>
<script>console.error("deliberate console error"); throw new Error("deliberate exception");</script>
</body>
</html>`

// cspPage breaks the Content-Security-Policy Laurel's pages send: an inline
// script and an inline style.
const cspPage = `<!doctype html>
<html lang="en"><head><meta name="viewport" content="width=device-width"><title>CSP</title></head>
<body><h1 style="color:red">Inline</h1><script>document.title = "ran";</script></body></html>`

// goodPage passes every check, with each way of naming a field.
const goodPage = `<!doctype html>
<html lang="en">
<head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Good</title></head>
<body>
<main>
<h1>Good</h1>
<label for="a">By for</label><input id="a">
<label>Wrapped <select><option>x</option></select></label>
<input aria-label="By aria-label">
<span id="t">By reference</span><textarea aria-labelledby="t"></textarea>
<input type="hidden" name="csrf" value="x">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
<p style="color:#767676">Grey at 4.54:1 is enough.</p>
<button>Go</button> <a href="/">Home</a> <input type="submit">
</main>
</body>
</html>`

// The checks must fail on a bad page, one finding per broken rule, and
// pass on a good one: otherwise a green story proves nothing.
func TestChecksCatchABadPage(t *testing.T) {
	ctx := newTab(t)
	// The phone check saves a screenshot of the bad page; keep it out of
	// e2e/artifacts, which is for failures.
	t.Setenv("LAUREL_E2E_ARTIFACTS", t.TempDir())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/bad":
			_, _ = w.Write([]byte(badPage))
		case "/csp":
			w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'")
			_, _ = w.Write([]byte(cspPage))
		case "/good":
			_, _ = w.Write([]byte(goodPage))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)

	open(t, ctx, srv.URL+"/bad")
	bad := inspectPage(t, ctx, "bad page")
	found := strings.Join(bad.problems(), "\n")
	for _, want := range []string{
		"console.error: deliberate console error",
		"uncaught exception: Error: deliberate exception",
		"/missing.png",
		"a11y lang:", "a11y title:", "a11y h1: document: the page has 2",
		"a11y label: input#nameless",
		"a11y alt: img#altless",
		"a11y name: a#silent",
		"a11y contrast: p#faint",
		"a11y contrast: p#layered",
		"scrolls sideways on a 390 px phone",
		"div#wide",
	} {
		if !strings.Contains(found, want) {
			t.Errorf("the checks missed %q; they found:\n%s", want, found)
		}
	}
	if strings.Contains(found, "p#large") {
		t.Errorf("large text at 3.5:1 was refused; the checks found:\n%s", found)
	}
	if bad.Phone.ScrollWidth < 600 {
		t.Errorf("phone scroll width %d, want at least 600", bad.Phone.ScrollWidth)
	}

	open(t, ctx, srv.URL+"/csp")
	csp := strings.Join(inspectPage(t, ctx, "csp page").problems(), "\n")
	for _, want := range []string{"inline script", "inline style"} {
		if !strings.Contains(csp, want) {
			t.Errorf("the checks missed the CSP violation of an %s; they found:\n%s", want, csp)
		}
	}

	open(t, ctx, srv.URL+"/good")
	if problems := inspectPage(t, ctx, "good page").problems(); len(problems) > 0 {
		t.Errorf("a good page fails the checks:\n%s", strings.Join(problems, "\n"))
	}
	if w := run(t, ctx, "reading the width", chromedp.Evaluate[int64]("window.innerWidth")); w != desktopWidth {
		t.Errorf("after the checks the window is %d px wide, want %d", w, desktopWidth)
	}
}

// A failure saves a full-page PNG where the failure message says.
func TestScreenshotOnFailure(t *testing.T) {
	ctx := newTab(t)
	t.Setenv("LAUREL_E2E_ARTIFACTS", t.TempDir())
	open(t, ctx, "data:text/html,<title>x</title><h1>Shot</h1>")

	path := screenshot(t, ctx, "a step")
	png, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	if !strings.HasPrefix(string(png), "\x89PNG\r\n") {
		t.Fatalf("screenshot %s is not a PNG", path)
	}
	if !strings.HasSuffix(path, "TestScreenshotOnFailure--a-step.png") {
		t.Errorf("screenshot named %s", path)
	}
}
