// Follow a running export: poll its API every second, move the progress bar and percentage, and
// reload the page once it is done or failed (the page then shows the download link or the reason).
const POLL_MS = 1000

function follow (box) {
  const url = box.dataset.exportStatusUrl
  const bar = box.querySelector('[data-testid="export-progress"]')
  const percent = box.querySelector('[data-testid="export-percent"]')
  const status = box.querySelector('[data-testid="export-status"]')
  const message = box.querySelector('[data-testid="export-message"]')

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
    bar.value = data.progress
    bar.textContent = `${data.progress}%`
    percent.textContent = `${data.progress}%`
    status.textContent = data.status.charAt(0).toUpperCase() + data.status.slice(1)
    message.textContent = data.message
    box.dataset.status = data.status
    if (data.status === 'done' || data.status === 'failed') {
      window.location.reload()
    } else {
      window.setTimeout(poll, POLL_MS)
    }
  }

  window.setTimeout(poll, POLL_MS)
}

document.querySelectorAll('[data-export-status-url]').forEach(follow)
