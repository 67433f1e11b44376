package catalog

import (
	"bufio"
	"fmt"
	"strings"
)

// regions.csv assigns each province to the eastern, central or western
// region (东部 / 中部 / 西部), the split national standards such as 国家卫生村
// use for regional targets.

// regionTable reads regions.csv into province code → 东 / 中 / 西; an error
// for a missing or unreadable file.
func regionTable() (map[string]string, error) {
	f, err := files.Open("regions.csv")
	if err != nil {
		return nil, fmt.Errorf("catalog regions.csv: %w", err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		parts := strings.Split(sc.Text(), ",")
		if len(parts) == 3 {
			out[parts[0]] = parts[2]
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("catalog regions.csv: %w", err)
	}
	return out, nil
}
