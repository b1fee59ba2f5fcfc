"""SkillGroupQueue (技能组排队): protocol in `protocol`, the entity in `entity`."""
