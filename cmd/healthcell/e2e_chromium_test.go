package main

// One headless Chromium for the whole test binary: each browser test gets
// a tab in a browser context of its own (as private as a fresh profile:
// cookies, storage and service workers are not shared), instead of a
// Chromium process of its own, which cost ≈ 1.5 s a test and engine.

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// e2eChrome is the shared browser process, started by the first test that
// asks for it and stopped by TestMain.
var e2eChrome struct {
	mu sync.Mutex
	// root is the context bound to the browser process; nil before the
	// first start.
	root   context.Context
	cancel func()
	// dir is the browser's profile directory.
	dir string
}

// e2eChromeOptions are the flags of the shared browser.
func e2eChromeOptions(dir string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(e2eChromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(e2ePhone.width, e2ePhone.height),
	}
}

// e2eChromeRoot returns the context of the shared browser, starting it
// (again, when it has died) as needed; an error when Chromium does not
// start within e2eScaled(30 s).
func e2eChromeRoot() (context.Context, error) {
	e2eChrome.mu.Lock()
	defer e2eChrome.mu.Unlock()
	if e2eChrome.root != nil && e2eChrome.root.Err() == nil {
		return e2eChrome.root, nil
	}
	e2eStopChromeLocked()
	dir, err := os.MkdirTemp("", "healthcell-chromium-")
	if err != nil {
		return nil, err
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), e2eChromeOptions(dir)...)
	root, cancelRoot := chromedp.NewContext(allocCtx)
	cancel := func() { cancelRoot(); cancelAlloc() }
	// The first Do starts the browser and binds it to the context it is
	// given, so it gets root itself and not one with a deadline.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(root) }()
	select {
	case err = <-done:
	case <-time.After(e2eScaled(30 * time.Second)):
		err = fmt.Errorf("not started within %s", e2eScaled(30*time.Second))
	}
	if err != nil {
		cancel()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s: %w", e2eChromium, err)
	}
	e2eChrome.root, e2eChrome.cancel, e2eChrome.dir = root, cancel, dir
	return root, nil
}

// e2eNewTab opens a tab in a new browser context of the shared browser;
// the tab and its context close when the test ends. It fails the test when
// the browser cannot start or open the tab.
func e2eNewTab(t *testing.T) context.Context {
	t.Helper()
	root, err := e2eChromeRoot()
	if err != nil {
		t.Fatal(err)
	}
	tab, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first Do creates the browser context and the tab, bound to the
	// context it is given: tab itself, which lives as long as the test.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("open a tab in %s: %v", e2eChromium, err)
	}
	return tab
}

// e2eStopChrome stops the shared browser, if it runs, and removes its
// profile.
func e2eStopChrome() {
	e2eChrome.mu.Lock()
	defer e2eChrome.mu.Unlock()
	e2eStopChromeLocked()
}

func e2eStopChromeLocked() {
	if e2eChrome.cancel != nil {
		e2eChrome.cancel()
	}
	if e2eChrome.dir != "" {
		os.RemoveAll(e2eChrome.dir)
	}
	e2eChrome.root, e2eChrome.cancel, e2eChrome.dir = nil, nil, ""
}
