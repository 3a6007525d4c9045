// Go's own sync.Pool on poolscope's scenarios, for the peers table: the same
// patterns at 64 B, 4 KiB and 64 KiB, measured by `go test -bench` and
// parsed by lib/peers/go-bench.ts into the results document.
//
// An operation is one Get+Put pair, as in poolscope's harness. Objects are
// *[]byte (a pointer, so Put does not allocate an interface box).
// Custom metrics (b.ReportMetric) use the units poolscope's reports use:
// news/op (Gets the pool could not serve), steals/op, victim-hit-%.
package peers

import (
	"flag"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

var sizes = []int{64, 4096, 65536}

// batch's K (objects held at once) and gc-churn's M (runtime.GC() every M
// operations), settable to match a poolscope suite:
// go test -bench . -args -poolscope.batch=16 -poolscope.clearEvery=1024
var (
	batchFlag      = flag.Int("poolscope.batch", 32, "batch: objects held at once (K)")
	clearEveryFlag = flag.Int("poolscope.clearEvery", 4096, "gc-churn: runtime.GC() every M operations")
)

func newPool(size int, news *atomic.Uint64) *sync.Pool {
	return &sync.Pool{New: func() any {
		news.Add(1)
		b := make([]byte, size)
		return &b
	}}
}

// touch writes the object, as a caller of Get would.
func touch(p any, v int) { (*(p.(*[]byte)))[0] = byte(v) }

// Sub-benchmark names use the results document's parameter names
// (lib/harness/naming.ts): batch, clearEvery, objectSize.
func sizeName(size int) string { return "objectSize=" + strconv.Itoa(size) }

// BenchmarkGetPut: the private-slot hot path, one goroutine.
func BenchmarkGetPut(b *testing.B) {
	for _, size := range sizes {
		b.Run(sizeName(size), func(b *testing.B) {
			var news atomic.Uint64
			pool := newPool(size, &news)
			pool.Put(pool.Get())
			news.Store(0)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				p := pool.Get()
				touch(p, i)
				pool.Put(p)
			}
			b.ReportMetric(float64(news.Load())/float64(b.N), "news/op")
		})
	}
}

// BenchmarkBatch: hold K objects, then put them all back (the shared deque).
func BenchmarkBatch(b *testing.B) {
	batchK := *batchFlag
	if batchK < 1 {
		b.Fatalf("-poolscope.batch must be at least 1 (received %d)", batchK)
	}
	for _, size := range sizes {
		b.Run("batch="+strconv.Itoa(batchK)+"/"+sizeName(size), func(b *testing.B) {
			var news atomic.Uint64
			pool := newPool(size, &news)
			held := make([]any, batchK)
			for k := range held {
				held[k] = pool.Get()
			}
			for _, p := range held {
				pool.Put(p)
			}
			news.Store(0)
			b.ResetTimer()
			for i := 0; i < b.N; i += batchK {
				for k := range held {
					held[k] = pool.Get()
					touch(held[k], k)
				}
				for _, p := range held {
					pool.Put(p)
				}
			}
			b.ReportMetric(float64(news.Load())/float64(b.N), "news/op")
		})
	}
}

// spscRing hands objects from the getter to the putter: one writer, one
// reader, 256 slots like poolscope's ring. head is written only by the
// reader, tail only by the writer; Go's atomic loads and stores are
// sequentially consistent, so the tail store publishes the slot written
// before it, and the head store hands the slot back.
type spscRing struct {
	slots [256]any
	head  atomic.Uint64
	_     [56]byte
	tail  atomic.Uint64
}

func (r *spscRing) push(p any) bool {
	t := r.tail.Load()
	if t-r.head.Load() == uint64(len(r.slots)) {
		return false
	}
	r.slots[t%uint64(len(r.slots))] = p
	r.tail.Store(t + 1)
	return true
}

func (r *spscRing) pop() (any, bool) {
	h := r.head.Load()
	if h == r.tail.Load() {
		return nil, false
	}
	p := r.slots[h%uint64(len(r.slots))]
	r.slots[h%uint64(len(r.slots))] = nil
	r.head.Store(h + 1)
	return p, true
}

// BenchmarkProducerConsumer: Get on one goroutine, Put on another, each
// locked to its OS thread with GOMAXPROCS=2 so they run on different Ps. The
// getter never Puts, so every Get it makes is served by stealing from the
// putter's P (or by New when there is nothing to steal). Objects go back
// from getter to putter through a lock-free SPSC ring. A side that finds the
// ring full (getter) or empty (putter) calls runtime.Gosched, as a Go program
// would; on a locked goroutine that parks its thread until rescheduled, so a
// wait costs a futex round trip but never burns the other side's CPU.
// (poolscope's own loops busy-wait instead: faster on idle cores, much slower
// when the machine is oversubscribed; see README, Peers.)
func BenchmarkProducerConsumer(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs GOMAXPROCS >= 2 (run with -cpu 2)")
	}
	for _, size := range sizes {
		b.Run(sizeName(size), func(b *testing.B) {
			var news atomic.Uint64
			pool := newPool(size, &news)
			ring := &spscRing{}
			var done atomic.Bool
			var wg sync.WaitGroup
			wg.Add(1)
			b.ResetTimer()
			go func() { // putter
				defer wg.Done()
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				for {
					if p, ok := ring.pop(); ok {
						pool.Put(p)
						continue
					}
					if done.Load() {
						return
					}
					runtime.Gosched()
				}
			}()
			runtime.LockOSThread()
			for i := 0; i < b.N; i++ { // getter
				p := pool.Get()
				touch(p, i)
				for !ring.push(p) {
					runtime.Gosched()
				}
			}
			done.Store(true)
			wg.Wait()
			runtime.UnlockOSThread()
			b.StopTimer()
			n := news.Load()
			b.ReportMetric(float64(n)/float64(b.N), "news/op")
			b.ReportMetric(float64(uint64(b.N)-n)/float64(b.N), "steals/op")
		})
	}
}

// BenchmarkGcChurn: Get+Put with runtime.GC() every M operations. Go keeps a
// victim cache across one GC, so the first Get after a GC should still hit;
// victim-hit-% is how often it did (it did not call New).
func BenchmarkGcChurn(b *testing.B) {
	clearIntervalM := *clearEveryFlag
	if clearIntervalM < 1 {
		b.Fatalf("-poolscope.clearEvery must be at least 1 (received %d)", clearIntervalM)
	}
	for _, size := range sizes {
		b.Run("clearEvery="+strconv.Itoa(clearIntervalM)+"/"+sizeName(size), func(b *testing.B) {
			var news atomic.Uint64
			pool := newPool(size, &news)
			pool.Put(pool.Get())
			news.Store(0)
			var gcs, victimHits uint64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%clearIntervalM == clearIntervalM-1 {
					runtime.GC()
					gcs++
					before := news.Load()
					p := pool.Get()
					if news.Load() == before {
						victimHits++
					}
					touch(p, i)
					pool.Put(p)
					continue
				}
				p := pool.Get()
				touch(p, i)
				pool.Put(p)
			}
			b.StopTimer()
			b.ReportMetric(float64(news.Load())/float64(b.N), "news/op")
			if gcs > 0 {
				b.ReportMetric(100*float64(victimHits)/float64(gcs), "victim-hit-%")
			}
		})
	}
}
