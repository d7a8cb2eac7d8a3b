package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// Desktop window size of the browser, in CSS pixels.
const (
	desktopWidth  = 1280
	desktopHeight = 900
)

// suite is what TestMain prepares once for every test of the package.
var suite struct {
	// laurel is the path of the laurel binary built for this run.
	laurel string
	// browser is a chromedp context holding the one browser; nil when the
	// tests skip, and then skipped says why.
	browser context.Context
	skipped string
}

// TestMain builds laurel and starts the browser once: both take seconds,
// and every test needs them.
func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	chromium, err := findChromium()
	if err != nil {
		suite.skipped = err.Error()
		return m.Run()
	}

	tmp, err := os.MkdirTemp("", "laurel-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	if suite.laurel, err = buildLaurel(tmp); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	browser, stop, err := startBrowser(chromium, filepath.Join(tmp, "profile"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer stop()
	suite.browser = browser
	return m.Run()
}

// findChromium returns the browser to drive: $LAUREL_CHROMIUM, else
// Debian's /usr/bin/chromium, else chromium on the PATH.
func findChromium() (string, error) {
	if path := os.Getenv("LAUREL_CHROMIUM"); path != "" {
		if _, err := exec.LookPath(path); err != nil {
			return "", fmt.Errorf("LAUREL_CHROMIUM=%s is not a program (%w): point it at a Chromium or "+
				"Chrome binary, or unset it and install chromium (sudo apt-get install chromium)", path, err)
		}
		return path, nil
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", errors.New("chromium is not installed: install it (sudo apt-get install chromium) " +
		"or set LAUREL_CHROMIUM to a Chromium or Chrome binary to run the browser tests")
}

// buildLaurel builds ./cmd/laurel into dir with the go command on the PATH.
func buildLaurel(dir string) (string, error) {
	bin := filepath.Join(dir, "laurel")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/laurel")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building laurel: %w\n%s", err, out)
	}
	return bin, nil
}

// startBrowser starts headless Chromium with a fresh profile in dir and
// returns a chromedp context of it, and a func that stops it.
func startBrowser(path, dir string) (context.Context, func(), error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(desktopWidth, desktopHeight),
		// Tests run as root in CI containers, where the sandbox cannot start.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		// The pages are on 127.0.0.1: no proxy of the environment applies.
		chromedp.Flag("no-proxy-server", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop := func() { cancel(); cancelAlloc() }

	// The first Do starts the browser; it lives as long as ctx.
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, fmt.Errorf("starting %s: %w", path, err)
	}
	return ctx, stop, nil
}

// needBrowser skips t when there is no browser, or fails it when
// LAUREL_BROWSER_TESTS=require.
func needBrowser(t testing.TB) {
	t.Helper()
	if suite.browser != nil {
		return
	}
	if os.Getenv("LAUREL_BROWSER_TESTS") == "require" {
		t.Fatalf("LAUREL_BROWSER_TESTS=require, but %s", suite.skipped)
	}
	t.Skip(suite.skipped)
}
