// ERDDAP needs an ioos_category on every variable. When the catalog gives none, steller infers
// one from the CF standard_name, or else from units that belong to one category only, but only
// where exactly one category fits: a name that matches rules of two categories (e.g. a
// temperature flux) gets none, and the catalog must say.

type Rule = readonly [category: string, test: (name: string) => boolean];

const has = (...parts: string[]) => (name: string) => parts.some((p) => name.includes(p));
const is = (...names: string[]) => (name: string) => names.includes(name);

const RULES: readonly Rule[] = [
  ['Time', is('time')],
  ['Location', is('latitude', 'longitude', 'depth', 'altitude', 'height', 'projection_x_coordinate', 'projection_y_coordinate')],
  ['Salinity', has('salinity')],
  ['Temperature', has('temperature')],
  ['Heat Flux', has('heat_flux', 'radiative_flux', 'downwelling_shortwave', 'downwelling_longwave')],
  ['Wind', (n) => has('wind')(n) && !has('wave')(n)],
  ['Surface Waves', has('sea_surface_wave', 'sea_surface_swell_wave', 'sea_surface_wind_wave', 'wave_period', 'wave_height')],
  ['Currents', has('sea_water_velocity', 'sea_water_speed', 'sea_water_x_velocity', 'sea_water_y_velocity', 'ocean_current')],
  ['Sea Level', has('sea_surface_height', 'water_surface_height', 'sea_surface_elevation', 'tidal_sea_surface', 'water_level')],
  ['Pressure', has('sea_water_pressure')],
  ['Dissolved O2', has('oxygen')],
  ['Dissolved Nutrients', has('nitrate', 'nitrite', 'phosphate', 'silicate', 'ammonium')],
  ['CO2', has('carbon_dioxide', 'carbonate', 'alkalinity', 'ph_reported_on_total_scale')],
  ['Ocean Color', has('chlorophyll', 'ocean_color')],
  ['Optical Properties', has('turbidity', 'attenuation', 'backscatter', 'irradiance', 'radiance', 'photosynthetically_available')],
  ['Ice Distribution', has('sea_ice')],
  ['Bathymetry', is('sea_floor_depth_below_geoid', 'sea_floor_depth_below_sea_surface', 'sea_floor_depth', 'bathymetry')],
  ['Meteorology', has('air_pressure', 'relative_humidity', 'dew_point', 'precipitation', 'visibility', 'cloud_area_fraction')],
  ['Quality', (n) => n.endsWith('status_flag') || n.endsWith('quality_flag')],
];

/** Units that mean one category whatever the variable (m s-1 could be wind or current; hPa, air or sea). */
const UNITS: Readonly<Record<string, string>> = {
  degree_Celsius: 'Temperature', degC: 'Temperature', deg_C: 'Temperature', degree_C: 'Temperature', celsius: 'Temperature',
  K: 'Temperature', kelvin: 'Temperature', degree_Fahrenheit: 'Temperature', degF: 'Temperature',
  PSU: 'Salinity', psu: 'Salinity', 'PSS-78': 'Salinity',
  dbar: 'Pressure', decibar: 'Pressure',
  degrees_north: 'Location', degree_north: 'Location', degrees_east: 'Location', degree_east: 'Location',
};

/** The one category a variable's standard_name (or, without one that decides, its units) implies. */
export function inferIoosCategory(standardName: string | undefined, units: string | undefined): string | undefined {
  if (standardName !== undefined) {
    const name = standardName.trim().toLowerCase();
    const categories = new Set(RULES.filter(([, test]) => test(name)).map(([category]) => category));
    if (categories.size > 1) return undefined;
    if (categories.size === 1) return [...categories][0];
  }
  return units !== undefined && Object.hasOwn(UNITS, units.trim()) ? UNITS[units.trim()] : undefined;
}
