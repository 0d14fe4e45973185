/* The API docs page of `sitrep serve`: Swagger UI from the vendored bundle, no CDN. */
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: false });
