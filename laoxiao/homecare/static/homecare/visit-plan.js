// The visit's place, when the browser can tell it.
if (navigator.geolocation) navigator.geolocation.getCurrentPosition((p) => {
  document.querySelector("#visit-form [name=latitude]").value = p.coords.latitude;
  document.querySelector("#visit-form [name=longitude]").value = p.coords.longitude;
});
