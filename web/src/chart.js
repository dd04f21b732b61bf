// The only module that loads ECharts, and only the parts the console draws.
import { PieChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([PieChart, LegendComponent, TooltipComponent, CanvasRenderer]);

const COLORS = ['#3b82c4', '#2e9d5b', '#d9a21b', '#c8412f', '#8a8f98'];

export function pie(el, data) {
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  chart.setOption({
    color: COLORS,
    tooltip: { trigger: 'item', formatter: '{b}：{c} 家（{d}%）' },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['40%', '70%'], data, label: { formatter: '{b}\n{c}' } }],
  });
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);
  const dispose = chart.dispose.bind(chart);
  chart.dispose = () => { window.removeEventListener('resize', resize); dispose(); };
  return chart;
}
