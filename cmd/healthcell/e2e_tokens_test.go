package main

// Browser end-to-end test of personal API tokens: a village officer opens
// the account page, goes to API tokens, makes one (shown once), sees it
// listed without the secret after reloading, and revokes it.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestE2EAPITokens(t *testing.T) {
	e2eRequireChromium(t)
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "tokens")
		if st := b.login("jinsui", DemoPassword); st != 200 {
			b.fatalf("login: status %d", st)
		}
		if st := b.load("open the account page", e2eTap(e2eByID("account-link"))); st != 200 {
			b.fatalf("account page: status %d", st)
		}
		if st := b.load("open the tokens page", e2eTap(e2eByID("tokens-link"))); st != 200 {
			b.fatalf("tokens page: status %d", st)
		}
		b.checkpoint("1-empty")
		if st := b.load("create a token", chromedp.SendKeys(chromedp.ID("token-name"), "县级平台对接"), e2eTap(e2eByID("create-token"))); st != 200 {
			b.fatalf("create: status %d", st)
		}
		secret := b.text("token-secret")
		if !strings.HasPrefix(secret, "hct_") || len(secret) != 47 {
			b.errorf("token shown = %q", secret)
		}
		b.checkpoint("2-created")
		if st := b.open("/account/tokens"); st != 200 {
			b.fatalf("reload: status %d", st)
		}
		if b.exists("#token-secret") {
			b.errorf("the token is shown a second time")
		}
		if got := b.text("tokens"); !strings.Contains(got, "县级平台对接") || strings.Contains(got, secret) {
			b.errorf("tokens listed: %q", got)
		}
		if st := b.load("revoke", e2eTap(chromedp.CSS(`#tokens button[id^="revoke-"]`))); st != 200 {
			b.fatalf("revoke: status %d", st)
		}
		if !b.exists(".notice") || b.exists(`#tokens button[id^="revoke-"]`) {
			b.errorf("no notice, or the token can still be revoked")
		}
		b.checkpoint("3-revoked")
	})
}
