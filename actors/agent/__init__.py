"""Agent (坐席): protocol in `protocol`, the entity in `entity`."""
