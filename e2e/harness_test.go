package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// stepTimeout bounds each step: a missing element fails the test in
// seconds, not at the test binary's timeout.
const stepTimeout = 10 * time.Second

//go:embed testdata/find.js
var findJS string

// tabKey is the context key of a tab's record.
type tabKey struct{}

// newTab opens a tab in a browser context of its own (its own cookies),
// recording console errors from the start. It skips t without a browser.
// Pass the context it returns to every other helper.
func newTab(t testing.TB) context.Context {
	t.Helper()
	needBrowser(t)
	rec := &tabRecord{}
	ctx, cancel := chromedp.NewContext(suite.browser, chromedp.WithNewBrowserContext(),
		chromedp.WithListener(rec.listen))
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, viewport(desktopWidth, desktopHeight, false)); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	// A test that failed in its own assertions gets a screenshot too, of
	// where the tab ended (cleanups run last first, so the tab is open).
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the tab when the test ended: %s", screenshot(t, ctx, "at the end"))
		}
	})
	// The record travels with the tab so that checkPage(t, ctx, name) can
	// read it; a context not made here fails the check with a clear message.
	return context.WithValue(ctx, tabKey{}, rec)
}

// finder names an element for the helpers: by its label, by its text, or
// by a CSS selector.
type finder struct {
	desc string // for failure messages
	js   string // an expression that gives the element, or null
}

// label finds a form field (input, select, textarea) by its label text or
// aria-label: an exact match first, then one that starts with text.
func label(text string) finder {
	return finder{desc: fmt.Sprintf("the field labelled %q", text), js: findCall("field", text)}
}

// named finds a button or link by the text on it (or its aria-label):
// an exact match first, then one that starts with text; inside <main>
// before the header and footer.
func named(text string) finder {
	return finder{desc: fmt.Sprintf("the button or link %q", text), js: findCall("control", text)}
}

// css finds the first element matching a CSS selector.
func css(selector string) finder {
	q, _ := json.Marshal(selector)
	return finder{desc: "the element " + selector, js: "document.querySelector(" + string(q) + ")"}
}

// findCall is the expression calling find.js's function fn with text.
func findCall(fn, text string) string {
	q, _ := json.Marshal(text)
	return "(" + findJS + ")." + fn + "(" + string(q) + ")"
}

// helperCall is the expression calling find.js's function fn with the
// element f finds and args.
func helperCall(fn string, f finder, args ...string) string {
	call := "(" + findJS + ")." + fn + "(" + f.js
	for _, a := range args {
		q, _ := json.Marshal(a)
		call += ", " + string(q)
	}
	return call + ")"
}

// step runs one browser step with stepTimeout, and fails t with a
// screenshot when it fails.
func step(t testing.TB, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		fail(t, ctx, what, "%s: %v", what, err)
	}
}

// run is step for an action with a value.
func run[T any](t testing.TB, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		fail(t, ctx, what, "%s: %v", what, err)
	}
	return v
}

// waitFor waits until the element f finds is on the page and visible.
func waitFor(t testing.TB, ctx context.Context, f finder) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(sctx, chromedp.WaitVisible(chromedp.JSPath(f.js))); err != nil {
		fail(t, ctx, "finding "+f.desc, "%s is not on %s (waited %s): %v",
			f.desc, pathOf(currentURL(t, ctx)), stepTimeout, err)
	}
}

// open loads url in the tab, waits for the page, and returns its HTTP
// status. It does not fail on a 4xx or 5xx page: the test decides.
func open(t testing.TB, ctx context.Context, url string) int {
	t.Helper()
	resp := run(t, ctx, "opening "+pathOf(url), chromedp.NavigateResponse(url))
	return statusOf(resp)
}

// click clicks the element f finds and waits for the page it loads (a
// link, or a form's submit button), returning that page's HTTP status.
// Use clickStay for a control that keeps the page.
func click(t testing.TB, ctx context.Context, f finder) int {
	t.Helper()
	waitFor(t, ctx, f)
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(sctx, chromedp.Click(chromedp.JSPath(f.js), chromedp.NodeVisible))
	if err != nil {
		fail(t, ctx, "click", "clicking %s and waiting for the next page: %v", f.desc, err)
	}
	return statusOf(resp)
}

// clickStay clicks the element f finds without waiting for a new page
// (a copy button, a disclosure).
func clickStay(t testing.TB, ctx context.Context, f finder) {
	t.Helper()
	waitFor(t, ctx, f)
	step(t, ctx, "clicking "+f.desc, chromedp.Click(chromedp.JSPath(f.js), chromedp.NodeVisible))
}

// fill types value into the field f finds, replacing what it held: key by
// key, as a person would, so the page's input events fire. A select takes
// the option whose value or text is value; date, time, colour and range
// fields get the value set directly, as typing into them depends on the
// browser's locale. Checkboxes and files have check and upload.
func fill(t testing.TB, ctx context.Context, f finder, value string) {
	t.Helper()
	what := "filling " + f.desc
	waitFor(t, ctx, f)
	kind := run(t, ctx, what, chromedp.Evaluate[string](helperCall("prepare", f)))
	switch kind {
	case "type":
		step(t, ctx, what, chromedp.SendKeys(chromedp.JSPath(f.js), value))
	case "set":
		setValue(t, ctx, f, value)
	default:
		fail(t, ctx, what, "%s is an input of type %s: use check or upload", f.desc, kind)
	}
}

// setValue sets a select's option or a field's value from script, with
// the input and change events a person's choice would fire.
func setValue(t testing.TB, ctx context.Context, f finder, value string) {
	t.Helper()
	problem := run(t, ctx, "setting "+f.desc, chromedp.Evaluate[string](helperCall("choose", f, value)))
	if problem != "" {
		fail(t, ctx, "setting "+f.desc, "%s: %s", f.desc, problem)
	}
}

// check ticks (on) or clears a checkbox or radio button f finds, by
// clicking it when it is not already as wanted.
func check(t testing.TB, ctx context.Context, f finder, on bool) {
	t.Helper()
	waitFor(t, ctx, f)
	checked := run(t, ctx, "reading "+f.desc, chromedp.Evaluate[bool](`!!(`+f.js+`).checked`))
	if checked != on {
		clickStay(t, ctx, f)
	}
}

// upload puts the file at path into the <input type=file> f finds
// (DOM.setFileInputFiles: the browser reads the file when the form posts).
func upload(t testing.TB, ctx context.Context, f finder, path string) {
	t.Helper()
	waitFor(t, ctx, f)
	step(t, ctx, "choosing a file for "+f.desc, chromedp.SetUploadFiles(chromedp.JSPath(f.js), []string{path}))
}

// waitText waits until the page's visible text contains text.
func waitText(t testing.TB, ctx context.Context, text string) {
	t.Helper()
	q, _ := json.Marshal(text)
	if err := waitJS(ctx, `!!document.body && document.body.innerText.indexOf(`+string(q)+`) >= 0`); err != nil {
		fail(t, ctx, "waiting for text", "waiting for %q on %s: %v", text, pathOf(currentURL(t, ctx)), err)
	}
}

// waitJS evaluates expr every 50 ms until it is true, for up to
// stepTimeout. An evaluation that fails (the page is navigating) is
// tried again. chromedp's Poll is not used: it remembers the page's
// script context, which a navigation can replace under it.
func waitJS(ctx context.Context, expr string) error {
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	var last error
	for {
		ok, err := chromedp.Run(sctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-sctx.Done():
			if last != nil {
				return fmt.Errorf("%w (last: %w)", sctx.Err(), last)
			}
			return fmt.Errorf("not true within %s: %w", stepTimeout, sctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// readText returns the visible text of the element f finds.
func readText(t testing.TB, ctx context.Context, f finder) string {
	t.Helper()
	waitFor(t, ctx, f)
	return run(t, ctx, "reading "+f.desc, chromedp.Evaluate[string](`(`+f.js+`).innerText`))
}

// pageText returns the visible text of the whole page.
func pageText(t testing.TB, ctx context.Context) string {
	t.Helper()
	return run(t, ctx, "reading the page",
		chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
}

// currentURL returns the tab's address. An invitation page's address
// holds a secret: pass it through redact before printing it.
func currentURL(t testing.TB, ctx context.Context) string {
	t.Helper()
	return run(t, ctx, "reading the address", chromedp.Location())
}

// fetched is a file fetched by download.
type fetched struct {
	Status int
	Header http.Header
	Body   []byte
}

// download fetches what the link f finds points to, with the tab's
// cookies, as the browser would when following it. Reading the link and
// fetching it from Go gives the status, headers and bytes without waiting
// on the browser's download folder.
func download(t testing.TB, ctx context.Context, f finder) fetched {
	t.Helper()
	waitFor(t, ctx, f)
	href := run(t, ctx, "reading the link of "+f.desc, chromedp.Evaluate[string](`(`+f.js+`).href || ""`))
	if href == "" {
		fail(t, ctx, "download", "%s has no href", f.desc)
	}
	cookies := run(t, ctx, "reading cookies", cookiesFor(href))

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, href, nil)
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := (&http.Client{Timeout: stepTimeout}).Do(req)
	if err != nil {
		t.Fatalf("downloading %s: %v", redact(pathOf(href)), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("downloading %s: %v", redact(pathOf(href)), err)
	}
	return fetched{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// wantStatus fails t when a page answered another status than want.
func wantStatus(t testing.TB, got, want int, what string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: status %d, want %d", what, got, want)
	}
}

// wantPath fails t when the tab's address has another path than path.
func wantPath(t testing.TB, ctx context.Context, path string) {
	t.Helper()
	u, err := url.Parse(currentURL(t, ctx))
	if err != nil || u.Path != path {
		t.Fatalf("the tab is at %s, want %s", pathOf(currentURL(t, ctx)), path)
	}
}

// cookiesFor reads the tab's cookies that a request to url carries,
// HttpOnly ones included.
func cookiesFor(url string) chromedp.Action[[]*network.Cookie] {
	return func(ctx context.Context, tab *chromedp.Target) ([]*network.Cookie, error) {
		res, err := cdp.Call(ctx, tab, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
		return res.Cookies, err
	}
}

// pathOf is the part of url after the host, for messages.
func pathOf(url string) string {
	if i := strings.Index(url, "://"); i >= 0 {
		if j := strings.IndexByte(url[i+3:], '/'); j >= 0 {
			return redact(url[i+3+j:])
		}
	}
	return redact(url)
}

func statusOf(resp *network.Response) int {
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}
