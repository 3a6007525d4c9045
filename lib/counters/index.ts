/** Linux perf_event_open counters for Node: per thread, per PMU group, scaled like `perf stat`. */
export { type CounterEventInfo, type CounterReading, Counters, type CountersOptions } from './counters.js';
export { type DerivedFigure, deriveFigures } from './derived.js';
export { type MeasuredEvent, type MeasureOptions, type MeasureResult, measure } from './measure.js';
export { type CountersMachineInfo, type ProbedEvent, type ProbeResult, probe } from './probe.js';
