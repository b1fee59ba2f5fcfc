"""Center (客服中心): protocol in `protocol`, the entity in `entity`."""
