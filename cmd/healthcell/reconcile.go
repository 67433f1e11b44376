package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
)

// reconcileKinds names each kind of difference for the terminal.
var reconcileKinds = map[string]string{
	healthcell.DiffUnmatched:     "ID not among residents",
	healthcell.DiffNames:         "one ID, different names",
	healthcell.DiffTwoHouseholds: "one person in two households",
	healthcell.DiffVillage:       "village differs between registers",
}

// runReconcile lists the differences between the registers and the
// residents as CSV (kind, key, village, ID number, places, fingerprint), or
// marks one resolved with --resolve KEY --fingerprint FP --note TEXT.
func (m *Main) runReconcile(ctx context.Context, args []string) error {
	fs, dsn := m.flags("reconcile")
	division := fs.String("division", "", "only under this division code")
	kind := fs.String("kind", "", "only this kind: unmatched, names, two_households, village, id_claim")
	all := fs.Bool("all", false, "include differences already resolved")
	resolve := fs.String("resolve", "", "mark the difference with this key resolved")
	fp := fs.String("fingerprint", "", "with --resolve: the fingerprint listed with it")
	note := fs.String("note", "", "with --resolve: how it was settled")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected arguments %q", rest)
	}
	if *kind != "" && reconcileKinds[*kind] == "" {
		return fmt.Errorf("unknown kind %q", *kind)
	}
	return m.withDB(ctx, *dsn, func(db *sqlstore.DB) error {
		if *resolve != "" {
			if err := db.ResolveDifference(system(ctx), *resolve, *fp, *note); err != nil {
				return err
			}
			fmt.Fprintln(m.Stdout, "resolved", *resolve)
			return nil
		}
		ds, err := db.Reconcile(system(ctx), healthcell.ReconcileFilter{Division: *division, Kind: *kind, Resolved: *all})
		if err != nil {
			return err
		}
		w := csv.NewWriter(m.Stdout)
		w.Write([]string{"kind", "key", "village", "id_number", "places", "resolved", "note", "fingerprint"})
		count := map[string]int{}
		for _, d := range ds {
			var places []string
			for _, p := range d.Places {
				s := p.Source + ": " + p.VillageName
				if p.Name != "" {
					s += " " + p.Name
				}
				if p.Count > 1 {
					s += fmt.Sprintf(" ×%d", p.Count)
				}
				places = append(places, s)
			}
			resolved := ""
			if d.Resolved {
				resolved = "yes"
			}
			w.Write([]string{d.Kind, d.Key, d.Division, d.IDNumber, strings.Join(places, "; "), resolved, d.Note, d.Fingerprint})
			count[d.Kind]++
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		for _, k := range []string{healthcell.DiffUnmatched, healthcell.DiffNames, healthcell.DiffTwoHouseholds, healthcell.DiffVillage} {
			fmt.Fprintf(m.Stderr, "%-36s %d\n", reconcileKinds[k]+":", count[k])
		}
		return nil
	})
}
