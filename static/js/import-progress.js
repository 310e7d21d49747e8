// Follow an import running in the background: poll its progress every second, move the bar and the count of
// lines checked, and reload the page once it has finished (the page then shows the result or the problems).
const POLL_MS = 1000

function follow (box) {
  const url = box.dataset.importProgressUrl
  const bar = box.querySelector('[data-testid="import-progress"]')
  const state = box.querySelector('[data-testid="import-state"]')
  const done = box.querySelector('[data-testid="import-done"]')
  const total = box.querySelector('[data-testid="import-total"]')
  const message = box.querySelector('[data-testid="import-message"]')
  const count = new Intl.NumberFormat('en-GB')

  async function poll () {
    let data
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      data = await response.json()
    } catch (error) {
      window.setTimeout(poll, POLL_MS * 3)
      return
    }
    bar.value = data.percent
    bar.textContent = `${data.percent}%`
    state.textContent = data.state_label
    done.textContent = count.format(data.done)
    total.textContent = count.format(data.total)
    message.textContent = data.message
    box.dataset.state = data.state
    if (data.in_progress) {
      window.setTimeout(poll, POLL_MS)
    } else {
      window.location.reload()
    }
  }

  window.setTimeout(poll, POLL_MS)
}

document.querySelectorAll('[data-import-progress-url]').forEach(follow)
