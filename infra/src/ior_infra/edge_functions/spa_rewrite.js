// CloudFront Function (cloudfront-js-2.0), viewer request, on the dashboard's behaviour only: the
// dashboard routes in the browser, so a path without a file extension is one of its pages and gets
// the app. `/api/*` has its own behaviour and never runs this; its answers pass through unchanged.
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var last = uri.substring(uri.lastIndexOf("/") + 1);
  if (uri.indexOf("/api/") !== 0 && last.indexOf(".") === -1) {
    request.uri = "/index.html";
  }
  return request;
}
