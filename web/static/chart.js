// Draws the bar chart of a division page from the data-bars attribute.
(function () {
  var el = document.getElementById('chart');
  if (!el || !window.echarts) return;
  var bars = JSON.parse(el.getAttribute('data-bars') || '[]');
  var chart = echarts.init(el);
  chart.setOption({
    title: { text: el.getAttribute('data-title'), textStyle: { fontSize: 14 } },
    tooltip: {},
    grid: { left: 60, right: 10, bottom: 90 },
    xAxis: { type: 'category', data: bars.map(function (b) { return b.name; }), axisLabel: { rotate: 45, interval: 0, fontSize: 11 } },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: bars.map(function (b) { return b.value; }), itemStyle: { color: '#0b6e4f' } }]
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
