package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The phone screen of the no-horizontal-scrolling check, in CSS pixels.
const (
	phoneWidth  = 390
	phoneHeight = 844
)

//go:embed testdata/a11y.js
var a11yJS string

// tabRecord keeps what a tab reported between two checks: console errors,
// uncaught exceptions and error entries of the browser log (failed loads,
// Content-Security-Policy violations), and which requests loaded
// documents.
type tabRecord struct {
	mu        sync.Mutex
	problems  []consoleProblem
	documents map[network.RequestID]bool
}

// consoleProblem is one error the page reported.
type consoleProblem struct {
	text    string
	request network.RequestID // set for a failed load
}

// listen runs in the loop that reads the tab's messages, in their order:
// it must return fast and run no command.
func (r *tabRecord) listen(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			text := "console." + string(ev.Type) + ": " + argsText(ev.Args)
			r.problems = append(r.problems, consoleProblem{text: text})
		}
	case *runtime.EventExceptionThrown:
		text := "uncaught exception: " + exceptionText(ev.ExceptionDetails)
		r.problems = append(r.problems, consoleProblem{text: text})
	case *log.EventEntryAdded:
		if e := ev.Entry; e.Level == log.EntryLevelError {
			r.problems = append(r.problems, consoleProblem{
				text:    fmt.Sprintf("browser log (%s): %s %s", e.Source, e.Text, e.URL),
				request: e.NetworkRequestID,
			})
		}
	case *network.EventRequestWillBeSent:
		if ev.Type == network.ResourceTypeDocument {
			if r.documents == nil {
				r.documents = map[network.RequestID]bool{}
			}
			r.documents[ev.RequestID] = true
		}
	}
}

// drain returns the problems since the last drain. A failed load of a
// page itself (a 404 or 401 page) is not one: its status is the test's to
// check; a failed load of anything the page uses is.
func (r *tabRecord) drain() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, p := range r.problems {
		if p.request == "" || !r.documents[p.request] {
			out = append(out, redact(p.text))
		}
	}
	r.problems = nil
	return out
}

func argsText(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		var s string
		if a.Type == runtime.RemoteObjectTypeString && json.Unmarshal([]byte(a.Value), &s) == nil {
			parts = append(parts, s)
		} else if a.Description != "" {
			parts = append(parts, a.Description)
		} else {
			parts = append(parts, string(a.Value))
		}
	}
	return strings.Join(parts, " ")
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "(no details)"
	}
	if d.Exception != nil && d.Exception.Description != "" {
		return strings.SplitN(d.Exception.Description, "\n", 2)[0] + fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber+1)
	}
	return d.Text + fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber+1)
}

// violation is one finding of testdata/a11y.js.
type violation struct {
	Rule    string `json:"rule"`
	Element string `json:"element"`
	Detail  string `json:"detail"`
}

// widthReport is what a11y.js's wide() measures at the phone width.
type widthReport struct {
	ScrollWidth int64    `json:"scrollWidth"`
	Elements    []string `json:"elements"`
}

// pageReport is everything checkPage found on a page.
type pageReport struct {
	Console []string    // console errors, uncaught exceptions, error log entries
	A11y    []violation // labels, alt, names, lang, title, one h1, contrast
	Phone   widthReport // at phoneWidth
}

// problems lists the report's failures, one line each.
func (r pageReport) problems() []string {
	out := append([]string(nil), r.Console...)
	for _, v := range r.A11y {
		out = append(out, fmt.Sprintf("a11y %s: %s: %s", v.Rule, v.Element, v.Detail))
	}
	if r.Phone.ScrollWidth > phoneWidth {
		out = append(out, fmt.Sprintf("scrolls sideways on a %d px phone: the page is %d px wide; %s",
			phoneWidth, r.Phone.ScrollWidth, strings.Join(r.Phone.Elements, "; ")))
	}
	return out
}

// checkPage checks the page the tab shows, as each story step must: no
// console errors or uncaught exceptions since the last check, labels,
// names, alt texts, lang, title, one <h1> and text contrast (a11y.js), and
// no horizontal scrolling at a 390 px phone width. On failure it saves a
// full-page screenshot and fails t (without stopping it: the story goes on
// to show the next page's problems too).
func checkPage(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	r := inspectPage(t, ctx, name)
	problems := r.problems()
	if len(problems) == 0 {
		return
	}
	shot := screenshot(t, ctx, name)
	t.Errorf("page %q (%s) fails its checks:\n  %s\nscreenshot: %s",
		name, pathOf(currentURL(t, ctx)), redact(strings.Join(problems, "\n  ")), shot)
}

// inspectPage runs checkPage's checks and returns what they found,
// failing t only when the browser cannot run them. When the page scrolls
// sideways at the phone width, it saves a screenshot at that width too.
func inspectPage(t testing.TB, ctx context.Context, name string) pageReport {
	t.Helper()
	rec, ok := ctx.Value(tabKey{}).(*tabRecord)
	if !ok {
		t.Fatalf("checkPage %q: the context is not a tab from newTab", name)
	}
	if err := waitJS(ctx, `document.readyState === "complete"`); err != nil {
		fail(t, ctx, name, "waiting for page %q to load: %v", name, err)
	}

	var r pageReport
	r.A11y = run(t, ctx, "checking accessibility", chromedp.Evaluate[[]violation]("("+a11yJS+").check()"))
	r.Phone = phoneWidthReport(t, ctx, name)
	// The evaluations above were round trips to the tab, so every event
	// the page sent before them has been recorded.
	r.Console = rec.drain()
	return r
}

// phoneWidthReport measures the page at the phone width, then restores
// the desktop size.
func phoneWidthReport(t testing.TB, ctx context.Context, name string) widthReport {
	t.Helper()
	step(t, ctx, "emulating a phone", viewport(phoneWidth, phoneHeight, true))
	defer step(t, ctx, "restoring the desktop size", viewport(desktopWidth, desktopHeight, false))

	w := run(t, ctx, "measuring the phone width",
		chromedp.Evaluate[widthReport](fmt.Sprintf("(%s).wide(%d)", a11yJS, phoneWidth)))
	if w.ScrollWidth > phoneWidth {
		w.Elements = append(w.Elements, "phone screenshot: "+screenshot(t, ctx, name+" phone"))
	}
	return w
}

// viewport makes the tab's page width by height CSS pixels, as a phone's
// (mobile: the viewport meta tag applies) or a desktop's. Overriding both
// ways keeps the size certain; clearing an override resizes later.
func viewport(width, height int64, mobile bool) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tab *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tab, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: width, Height: height, DeviceScaleFactor: 1, Mobile: mobile,
		})
		return chromedp.Void{}, err
	}
}

// fail saves a screenshot of the tab and stops t with the message and the
// screenshot's path. Tokens in the message are hidden.
func fail(t testing.TB, ctx context.Context, name, format string, args ...any) {
	t.Helper()
	shot := screenshot(t, ctx, name)
	t.Fatalf("%s\nscreenshot: %s", redact(fmt.Sprintf(format, args...)), shot)
}

// screenshot saves a full-page PNG of the tab as
// <artifacts>/<test>--<name>.png and returns its path, or why it could
// not. The folder is $LAUREL_E2E_ARTIFACTS, else e2e/artifacts (ignored
// by git).
func screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		return fmt.Sprintf("(none: %v)", err)
	}

	dir := os.Getenv("LAUREL_E2E_ARTIFACTS")
	if dir == "" {
		dir = "artifacts"
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	path := filepath.Join(dir, fileName(t.Name())+"--"+fileName(name)+".png")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Sprintf("(none: %v)", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return fmt.Sprintf("(none: %v)", err)
	}
	return path
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func fileName(s string) string {
	return strings.Trim(unsafeName.ReplaceAllString(s, "-"), "-")
}
