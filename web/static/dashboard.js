// Indicator dashboard and indicator pages: a bar chart per indicator (one
// bar per township or village, green when the target is met, red when not,
// the target as a line), and a trend chart of one indicator by month
// fetched from the API.
(function () {
  if (!window.echarts) return;
  var charts = [];
  function resizeAll() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener('resize', resizeAll);

  // A bar chart of an indicator by child division. While every bar has
  // room for its label (40 px) the bars stand in division order; on a
  // narrow screen or with many divisions (a township of 47 villages on a
  // phone) they lie down instead, sorted best first, one 24 px row each,
  // names truncated to the room left of the axis, so that no label
  // overlaps another. The target line's label sits inside the chart.
  // Drawn as SVG so that the labels are elements (the browser tests
  // measure them).
  document.querySelectorAll('.chart.bars').forEach(function (el) {
    var bars = JSON.parse(el.getAttribute('data-bars') || '[]');
    var target = el.getAttribute('data-target');
    var hasTarget = target !== null && target !== '';
    var unit = el.getAttribute('data-unit') === '%' ? '%' : '';
    var lower = el.getAttribute('data-direction') === 'lower';
    var drill = el.getAttribute('data-drill') || '';
    var width = el.clientWidth || window.innerWidth;
    var lying = bars.length > 0 && width / bars.length < 40;
    var shown = bars.slice();
    if (lying) {
      shown.sort(function (a, b) {
        if (a.value == null || b.value == null) return (a.value == null) - (b.value == null);
        return lower ? a.value - b.value : b.value - a.value;
      });
      el.style.height = Math.max(160, shown.length * 24 + 64) + 'px';
    }
    var max = 0;
    shown.forEach(function (b) { if (b.value != null && b.value > max) max = b.value; });
    if (hasTarget && parseFloat(target) > max) max = parseFloat(target);
    var chart = echarts.init(el, null, { renderer: 'svg' });
    charts.push(chart);
    var fmt = function (v) { return v == null ? '–' : (Math.round(v * 100) / 100) + unit; };
    var series = {
      type: 'bar',
      data: shown.map(function (b) {
        var color = b.met === true ? '#2e7d32' : (b.met === false ? '#c62828' : '#0b6e4f');
        return { value: b.value, itemStyle: { color: color }, code: b.code };
      })
    };
    if (hasTarget) {
      var label = { formatter: (lower ? '≤' : '≥') + target + unit, fontSize: 11, color: '#333' };
      if (lying) {
        // A vertical line: its label above the plot (the names run top
        // down, so the line starts there), aligned away from the chart's
        // edge it is near.
        var at = max > 0 ? parseFloat(target) / max : 0;
        label.position = 'start';
        label.align = at > 0.75 ? 'right' : (at < 0.25 ? 'left' : 'center');
      } else {
        label.position = 'insideEndTop';
      }
      series.markLine = { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#555' }, label: label,
        data: [lying ? { xAxis: parseFloat(target) } : { yAxis: parseFloat(target) }] };
    }
    var names = shown.map(function (b) { return b.name; });
    var option;
    if (lying) {
      var room = Math.min(120, Math.round(width * 0.34));
      series.label = { show: true, position: 'right', fontSize: 10, formatter: function (p) { return fmt(p.value); } };
      option = {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt },
        grid: { left: room + 8, right: 44, top: 28, bottom: 28 },
        yAxis: { type: 'category', inverse: true, data: names,
          axisLabel: { interval: 0, fontSize: 11, width: room, overflow: 'truncate' } },
        xAxis: { type: 'value', max: max > 0 ? null : 1, axisLabel: { formatter: '{value}' + unit, fontSize: 10 } },
        series: [series]
      };
    } else {
      // Names stand upright while a bar has 80 px, else slant.
      var upright = width / Math.max(1, shown.length) >= 80;
      option = {
        tooltip: { trigger: 'axis', valueFormatter: fmt },
        grid: { left: 48, right: 12, top: 24, bottom: upright ? 40 : 90 },
        xAxis: { type: 'category', data: names, axisLabel: { rotate: upright ? 0 : 50, interval: 0, fontSize: upright ? 11 : 10, width: upright ? 76 : 80, overflow: 'truncate' } },
        yAxis: { type: 'value', axisLabel: { formatter: '{value}' + unit } },
        series: [series]
      };
    }
    // Drawn at once, without the growing animation: a phone with 18 charts
    // on a page has better use for its time, and the labels are where
    // they stay as soon as they are drawn.
    option.animation = false;
    chart.setOption(option);
    el.setAttribute('data-layout', lying ? 'sorted' : 'columns');
    chart.on('click', function (p) {
      var code = shown[p.dataIndex] && shown[p.dataIndex].code;
      if (code && drill) window.location = drill + encodeURIComponent(code);
    });
  });

  var trend = document.getElementById('trend');
  var pick = document.getElementById('trend-indicator');
  if (!trend || !pick) return;
  var chart = echarts.init(trend);
  charts.push(chart);
  var period = trend.getAttribute('data-period');
  var year = period.slice(0, 4);
  // Months of the year (quarters when the period is a quarter).
  var steps = [];
  if (/Q/.test(period)) { for (var q = 1; q <= 4; q++) steps.push(year + 'Q' + q); }
  else { for (var m = 1; m <= 12; m++) steps.push(year + '-' + (m < 10 ? '0' : '') + m); }
  function load() {
    var code = pick.value;
    chart.showLoading('default', { text: '' });
    Promise.all(steps.map(function (p) {
      return fetch('/api/v1/indicators/' + encodeURIComponent(code) + '/values?division=' + trend.getAttribute('data-division') + '&period=' + p,
        { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.json() : []; });
    })).then(function (results) {
      chart.hideLoading();
      chart.setOption({
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 12, top: 16, bottom: 30 },
        xAxis: { type: 'category', data: steps },
        yAxis: { type: 'value' },
        series: [{ type: 'line', data: results.map(function (r) { return r[0] ? r[0].value : null; }), itemStyle: { color: '#0b6e4f' } }]
      }, true);
      trend.setAttribute('data-loaded', code);
    });
  }
  pick.addEventListener('change', load);
  load();
})();
