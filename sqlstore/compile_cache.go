package sqlstore

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/indicator"
)

// maxCompiledQueries bounds the compiled-measure cache; it is emptied when
// full.
const maxCompiledQueries = 1024

// compileCache holds the SQL indicator.CompileMany produced, keyed by the
// measures' definitions (measureKey), the period and the scope. A saved or
// changed indicator has other definitions and so another key: nothing needs
// to be invalidated. The sources are the process-wide allow-list
// (db.sources), the same for every call.
type compileCache struct {
	mu sync.Mutex
	qs map[string]indicator.Query
}

// compileMany is indicator.CompileMany through the cache. A scope naming
// villages (a refresh of a few stale villages) is compiled each time, since
// its text varies. The returned query is shared: callers must not modify
// its Args. Errors are those of CompileMany, which are not cached.
func (c *compileCache) compileMany(ms []*healthcell.Measure, srcs indicator.Sources, p indicator.Period, sc indicator.Scope) (indicator.Query, error) {
	if len(sc.Villages) > 0 {
		return indicator.CompileMany(ms, srcs, p, sc)
	}
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(measureKey(m))
		b.WriteByte(1)
	}
	b.WriteString(p.Label)
	b.WriteByte(0)
	b.WriteString(p.Start.Format(time.RFC3339Nano))
	b.WriteByte(0)
	b.WriteString(p.End.Format(time.RFC3339Nano))
	b.WriteByte(0)
	b.WriteString(strconv.FormatBool(p.AsOf))
	b.WriteByte(0)
	b.WriteString(sc.Lo)
	b.WriteByte(0)
	b.WriteString(sc.Hi)
	b.WriteByte(0)
	b.WriteString(strconv.Itoa(sc.GroupLen))
	b.WriteByte(0)
	b.WriteString(strconv.FormatInt(sc.Unit, 10))
	key := b.String()
	c.mu.Lock()
	q, ok := c.qs[key]
	c.mu.Unlock()
	if ok {
		return q, nil
	}
	q, err := indicator.CompileMany(ms, srcs, p, sc)
	if err != nil {
		return q, err
	}
	c.mu.Lock()
	if c.qs == nil || len(c.qs) >= maxCompiledQueries {
		c.qs = map[string]indicator.Query{}
	}
	c.qs[key] = q
	c.mu.Unlock()
	return q, nil
}
