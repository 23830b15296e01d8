// Draws the overview's charts from the JSON the page carries; the tables beside them hold the same figures.
document.addEventListener('DOMContentLoaded', function () {
  var source = document.getElementById('overview-data');
  if (!source || typeof Chart === 'undefined') {
    return;
  }
  var data = JSON.parse(source.dataset.chart);
  Chart.defaults.animation = false;
  new Chart(document.getElementById('messages-chart'), {
    type: 'bar',
    data: {
      labels: data.hours,
      datasets: [
        { label: 'Accepted', data: data.accepted, backgroundColor: '#2f855a', stack: 'm' },
        { label: 'Rejected', data: data.rejected, backgroundColor: '#c05621', stack: 'm' },
        { label: 'Refused', data: data.refused, backgroundColor: '#b42318', stack: 'm' }
      ]
    },
    options: { maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
  });
  new Chart(document.getElementById('outbox-chart'), {
    type: 'bar',
    data: {
      labels: ['Pending', 'Delivered', 'Parked', 'Cancelled'],
      datasets: [{ label: 'Submissions', data: [data.outbox.pending, data.outbox.delivered, data.outbox.parked, data.outbox.cancelled],
        backgroundColor: ['#0b5cad', '#2f855a', '#b42318', '#6e7781'] }]
    },
    options: { maintainAspectRatio: false, indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
});
