"""Transport: the PTB application, handlers, keyboards, rendering, the durable update loop."""
