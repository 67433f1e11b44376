// Command hcresidents writes a resident import file for tests and
// benchmarks: n valid rows for the villages of a shipped county, the same
// file for the same arguments.
//
//	hcresidents -n 1000000 -out residents.csv   # or .xlsx
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/demo"
	"github.com/healthcell/healthcell/tablefile"
)

func main() {
	n := flag.Int("n", 1000000, "rows")
	out := flag.String("out", "residents.csv", "file to write, .csv or .xlsx")
	county := flag.String("county", "510824", "shipped county whose villages are used")
	flag.Parse()
	if err := run(*n, *out, *county); err != nil {
		fmt.Fprintln(os.Stderr, "hcresidents:", err)
		os.Exit(1)
	}
}

func run(n int, out, county string) error {
	divs, err := catalog.Divisions(county)
	if err != nil {
		return err
	}
	var villages []healthcell.Division
	for _, d := range divs {
		if d.Level == healthcell.LevelVillage {
			villages = append(villages, d)
		}
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w, err := tablefile.NewWriter(bw, tablefile.Kind(out), "居民", demo.ResidentFileHeader)
	if err != nil {
		return err
	}
	row := make([]any, len(demo.ResidentFileHeader))
	err = demo.ResidentFile(villages, n, func(cells []string) error {
		for i, c := range cells {
			row[i] = c
		}
		return w.Write(row)
	})
	if err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}
