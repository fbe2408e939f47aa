"""Full screens: home, setup, console, hot wash, evaluation, finish, projector."""
