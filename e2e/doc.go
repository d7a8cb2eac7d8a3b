// Package e2e holds Laurel's browser tests: stories told through the real
// pages of a real `laurel serve` process, driven in headless Chromium with
// chromedp.
//
// The package has no code outside its tests. TestMain builds the laurel
// binary once and starts one browser; each test starts its own server on
// 127.0.0.1 with a fresh data folder and opens its own tab, in a browser
// context of its own so that cookies never leak between tests.
//
// Every page a story visits goes through checkPage, which fails the test on
// console errors and uncaught exceptions, on missing labels, alt texts,
// names, language, title or a single <h1>, on text contrast below WCAG 2.2
// §1.4.3, and on horizontal scrolling at a 390 px wide phone screen. A
// failed check or step saves a full-page screenshot in e2e/artifacts (or
// $LAUREL_E2E_ARTIFACTS) and names it in the failure.
//
// The tests need Chromium (/usr/bin/chromium, or the path in
// $LAUREL_CHROMIUM). Without it they skip, unless LAUREL_BROWSER_TESTS is
// "require", as in CI, where a missing browser is a failure.
package e2e
