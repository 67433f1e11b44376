// Indicator dashboard: a bar chart per indicator (one bar per township or
// village, green when the target is met, red when not, the target as a
// line), and a trend chart of one indicator by month fetched from the API.
(function () {
  if (!window.echarts) return;
  var charts = [];
  function resizeAll() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener('resize', resizeAll);

  document.querySelectorAll('.chart.bars').forEach(function (el) {
    var bars = JSON.parse(el.getAttribute('data-bars') || '[]');
    var target = el.getAttribute('data-target');
    var unit = el.getAttribute('data-unit') === '%' ? '%' : '';
    var chart = echarts.init(el);
    charts.push(chart);
    var series = {
      type: 'bar',
      data: bars.map(function (b) {
        var color = b.met === true ? '#2e7d32' : (b.met === false ? '#c62828' : '#0b6e4f');
        return { value: b.value, itemStyle: { color: color }, code: b.code };
      })
    };
    if (target !== '') {
      series.markLine = { symbol: 'none', lineStyle: { type: 'dashed', color: '#555' }, label: { formatter: target + unit },
        data: [{ yAxis: parseFloat(target) }] };
    }
    chart.setOption({
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return v == null ? '–' : v + unit; } },
      grid: { left: 48, right: 12, top: 16, bottom: 90 },
      xAxis: { type: 'category', data: bars.map(function (b) { return b.name; }), axisLabel: { rotate: 50, interval: 0, fontSize: 10 } },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}' + unit } },
      series: [series]
    });
    chart.on('click', function (p) {
      var code = bars[p.dataIndex] && bars[p.dataIndex].code;
      if (code) window.location = '/dashboard?division=' + code + '&period=' + (document.getElementById('dash-period') || {}).textContent;
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
    chart.showLoading();
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
