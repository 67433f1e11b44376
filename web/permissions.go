package web

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/healthcell/healthcell"
)

// Pages whose access depends on the role are named here once, each with the
// check that lets a user open it. The navigation (and the links pages show
// to those pages) asks Page.May; the pages' handlers are wrapped in
// Server.gate with the same name, so a link shown is a page that opens and a
// page refused (403, with a kind word of why) is a link not shown.

// pageChecks are the role-dependent pages by name: the check a user must
// pass to open them.
var pageChecks = map[string]func(u *healthcell.User) bool{
	// Importing residents writes persons in the user's scope.
	"import": func(u *healthcell.User) bool { return healthcell.ActorOf(u).CanWritePersons(u.Scope) },
	// Reconciliation shows ID numbers side by side.
	"reconcile": func(u *healthcell.User) bool { return healthcell.ActorOf(u).SeesPersonal(u.Scope) },
	// Accounts.
	"users": func(u *healthcell.User) bool { return healthcell.ActorOf(u).CanManageUsers() },
	// An institution's contact sees neither residents, families nor
	// questionnaire responses.
	"families":       notUnitContact,
	"questionnaires": notUnitContact,
	// Sampling (抽查) of recommended units is the naming office's: the
	// offices above the county and their assessors.
	"naming_batches": func(u *healthcell.User) bool {
		return u.Role.Upper() && healthcell.CodeLevel(u.Scope) < healthcell.LevelCounty
	},
}

func notUnitContact(u *healthcell.User) bool { return u.Role != healthcell.RoleUnit }

// pageNames are the names of pageChecks in order, for the navigation's
// cache key.
var pageNames = slices.Sorted(maps.Keys(pageChecks))

// may reports whether u may open the pages named name; false for nobody
// and for a name not in pageChecks.
func may(u *healthcell.User, name string) bool {
	check, ok := pageChecks[name]
	return ok && u != nil && check(u)
}

// May reports whether the page's user may open the pages named name (see
// pageChecks), for links.
func (p Page) May(name string) bool { return may(p.User, name) }

// permissionKey is the user's answers to every check, as a string: users
// with the same key see the same navigation.
func permissionKey(u *healthcell.User) string {
	var b strings.Builder
	for _, n := range pageNames {
		if may(u, n) {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	}
	return b.String()
}

// gate refuses the pages named name to users who may not open them:
// EFORBIDDEN with the message error.forbidden.<name>, which says why.
func (s *Server) gate(name string, h handlerFunc) handlerFunc {
	if _, ok := pageChecks[name]; !ok {
		panic("web: no page check " + name)
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		if u := userFrom(r.Context()); u != nil && !may(u, name) {
			return &healthcell.Error{Code: healthcell.EFORBIDDEN, Message: "error.forbidden." + name}
		}
		return h(w, r)
	}
}
