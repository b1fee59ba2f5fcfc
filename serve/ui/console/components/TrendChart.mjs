// Today vs yesterday by hour (conversations requested and served), drawn by uPlot
// (DESIGN.md decision 11: uPlot for live series). The chart is made once and fed new
// data as the pushed snapshots arrive.
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { lang, t } from 'kefu/i18n.mjs';

const STYLE = '/ui/vendor/uplot/uPlot.min.css';

function ensureStyle() {
  if (document.querySelector(`link[href="${STYLE}"]`)) return;
  document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: STYLE }));
}

function series(trend) {
  const hours = trend.map((p) => p.hour);
  return [hours, trend.map((p) => p.today_conversations), trend.map((p) => p.yesterday_conversations),
    trend.map((p) => p.today_served)];
}

export function TrendChart({ trend }) {
  const box = useRef(null);
  const chart = useRef(null);
  useEffect(() => {
    ensureStyle();
    const width = Math.max(320, box.current.clientWidth);
    chart.current = new uPlot({
      width, height: 220, scales: { x: { time: false } },
      // Whole hours on x, whole conversations on y.
      axes: [{ label: t('console.monitor.hour'), incrs: [1, 2, 3, 6] }, { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }],
      series: [{ label: t('console.monitor.hour') },
        { label: t('console.monitor.today'), stroke: '#1f6feb', width: 2 },
        { label: t('console.monitor.yesterday'), stroke: '#9aa3ad', width: 1.5, dash: [6, 4] },
        { label: t('console.monitor.servedToday'), stroke: '#2e7d32', width: 1.5 }],
    }, series(trend), box.current);
    return () => chart.current.destroy();
  }, [lang.value]);
  useEffect(() => { chart.current?.setData(series(trend)); }, [trend]);
  return html`<figure class="trend" aria-label=${t('console.monitor.trend')}><div ref=${box}></div></figure>`;
}
